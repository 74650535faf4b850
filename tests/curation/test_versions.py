"""The knowledge versions curators apply (bot.curation.versions, .source, .curating) on real databases: applied only
onto the version they were checked against (also when two apply at once), replayed onto the files as shipped in
shared mode (the folder never written), written into the folder in folder mode, found by a watching replica, and
still answering when the database goes away."""

import io
import logging
import shutil
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from openpyxl import load_workbook

from bot.curation.curating import Curation
from bot.curation.source import KnowledgeSource, Mode, choose_mode, watch
from bot.curation.versions import Refusal, State, Versions, VersionsError
from bot.knowledge.spreadsheet import export_workbook
from tests.conftest import KNOWLEDGE_DIR, ROOT
from tests.servers import postgres_url  # noqa: F401 - pytest fixture

JETRO = "contacts/jetro.csv"


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request, tmp_path):
    if request.param == "sqlite":
        return str(tmp_path / "records.sqlite3")
    url = request.getfixturevalue("postgres_url")
    from sqlalchemy import create_engine, text

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as c:
        c.execute(text("DROP TABLE IF EXISTS knowledge_versions"))
    engine.dispose()
    return url


@pytest.fixture
def folder(tmp_path):
    shutil.copytree(KNOWLEDGE_DIR, tmp_path / "knowledge")
    return tmp_path / "knowledge"


def jetro_with(folder, old: str, new: str) -> dict:
    return {JETRO: (folder / JETRO).read_text(encoding="utf-8").replace(old, new)}


def number(knowledge, cid="jetro-sendai") -> str:
    return next(c for c in knowledge.contacts if c.id == cid).phones[0].number


def test_a_version_applies_only_onto_the_one_it_was_checked_against(target, folder):
    versions = Versions(target)
    first = versions.propose(files={"a": "1"}, previous={"a": None}, base=0, kind="workbook", name="a.xlsx",
                             summary="", user="U1")
    second = versions.propose(files={"a": "2"}, previous={"a": None}, base=0, kind="workbook", name="b.xlsx",
                              summary="", user="U2")
    assert versions.decide(second, "U2", apply=True) is None
    assert versions.decide(first, "U1", apply=True) is Refusal.STALE  # checked against version 0, not `second`
    assert versions.decide(second, "U2", apply=True) is Refusal.DECIDED
    assert versions.decide(999, "U1", apply=True) is Refusal.GONE
    assert versions.decide(first, "U1", apply=False) is None and versions.get(first).state is State.DISCARDED
    assert versions.latest() == second and [v.id for v in versions.applied()] == [second]
    versions.close()


def test_two_curators_applying_at_once_apply_one(target):
    versions = Versions(target)
    ids = [versions.propose(files={"a": str(n)}, previous={}, base=0, kind="workbook", name=f"{n}.xlsx", summary="",
                            user=f"U{n}") for n in range(8)]
    start = threading.Barrier(len(ids))

    def apply(version):
        start.wait()
        return versions.decide(version, "U", apply=True)

    with ThreadPoolExecutor(len(ids)) as pool:
        outcomes = list(pool.map(apply, ids))
    assert outcomes.count(None) == 1 and outcomes.count(Refusal.STALE) == len(ids) - 1
    assert len(versions.applied()) == 1
    versions.close()


def test_shared_mode_replays_the_versions_and_never_writes_the_folder(target, folder):
    shipped = (folder / JETRO).read_bytes()
    source = KnowledgeSource(folder, Versions(target), Mode.SHARED)
    knowledge = source.load()
    curation = Curation(source)
    old = number(knowledge)
    book = io.BytesIO()
    export_workbook(source.root, book)
    edited = load_workbook(book)
    next(r for r in edited["jetro"].iter_rows(min_row=2) if r[0].value == "jetro-sendai")[5].value = "022-000-7777"
    path = folder.parent / "edited.xlsx"
    edited.save(path)
    proposal = curation.check(path, "edited.xlsx", "U1")
    assert proposal.version and [c.rel for c in proposal.changes] == [JETRO]
    decision = curation.decide(proposal.version, "U1", True)
    assert decision.refusal is None and decision.contacts == len(knowledge.contacts)
    assert (folder / JETRO).read_bytes() == shipped

    replica = KnowledgeSource(folder, Versions(target), Mode.SHARED)  # another replica, or this one restarted
    assert number(replica.load()) == "022-000-7777" and replica.version == proposal.version
    restored = curation.restore("U2")
    assert restored.restores == proposal.version
    curation.decide(restored.version, "U2", True)
    assert number(replica.load()) == old and (folder / JETRO).read_bytes() == shipped
    for s in (source, replica):
        work = s._work
        s.close()
        assert work is None or not work.exists()


def test_folder_mode_writes_the_folder_and_refuses_a_version_the_folder_moved_past(tmp_path, folder):
    versions = Versions(tmp_path / "r.sqlite3")
    source = KnowledgeSource(folder, versions, Mode.FOLDER)
    old = number(source.load())
    files = jetro_with(folder, old, "022-000-8888")
    version = versions.propose(files=files, previous={JETRO: (folder / JETRO).read_text(encoding="utf-8")}, base=0,
                               kind="workbook", name="x.xlsx", summary="", user="U1")
    (folder / JETRO).write_text((folder / JETRO).read_text(encoding="utf-8") + "\n", encoding="utf-8")  # edited by hand
    assert Curation(source).decide(version, "U1", True).refusal is Refusal.STALE
    assert "022-000-8888" not in (folder / JETRO).read_text(encoding="utf-8")


def test_a_watching_replica_loads_a_new_version_and_rides_out_a_database_outage(tmp_path, folder, caplog):
    versions = Versions(tmp_path / "r.sqlite3")
    source = KnowledgeSource(folder, versions, Mode.SHARED)
    old = number(source.load())
    loaded = threading.Event()
    holder = {}

    def reload():
        holder["knowledge"] = source.load()
        loaded.set()
        return []

    stop = threading.Event()
    with caplog.at_level(logging.WARNING, logger="madoguchi.knowledge"):
        thread = watch(source, reload, stop, every=0.05)
        other = Versions(tmp_path / "r.sqlite3")
        version = other.propose(files=jetro_with(folder, old, "022-000-9999"), previous={}, base=0, kind="workbook",
                                name="x.xlsx", summary="", user="U1")
        other.decide(version, "U1", True)
        assert loaded.wait(10) and number(holder["knowledge"]) == "022-000-9999"
        failing = versions.latest
        calls = []
        versions.latest = lambda: calls.append(1) or (_ for _ in ()).throw(VersionsError("down"))
        while len(calls) < 5:
            stop.wait(0.05)
        versions.latest = failing
        stop.set()
        thread.join(5)
    assert [r.getMessage() for r in caplog.records if "unreadable" in r.getMessage()] == [
        f"knowledge versions unreadable; still answering with version {version}"]


def test_a_version_that_does_not_load_onto_new_files_falls_back_to_the_files(tmp_path, folder, caplog):
    versions = Versions(tmp_path / "r.sqlite3")
    version = versions.propose(files={JETRO: "id,broken\n"}, previous={}, base=0, kind="workbook", name="x.xlsx",
                               summary="", user="U1")
    versions.decide(version, "U1", True)
    with caplog.at_level(logging.ERROR, logger="madoguchi.knowledge"):
        knowledge = KnowledgeSource(folder, versions, Mode.SHARED).load()
    assert knowledge.contacts and any("does not load onto these files" in r.getMessage() for r in caplog.records)


def test_a_version_naming_a_path_outside_the_folder_is_never_written(tmp_path, folder):
    versions = Versions(tmp_path / "r.sqlite3")
    version = versions.propose(files={"../escaped.txt": "x"}, previous={}, base=0, kind="workbook", name="x",
                               summary="", user="U1")
    versions.decide(version, "U1", True)
    with pytest.raises(ValueError):
        KnowledgeSource(folder, versions, Mode.SHARED).load()
    assert not (folder.parent / "escaped.txt").exists()


def test_the_mode_follows_the_setup(tmp_path, folder):
    assert choose_mode(folder, shared_database=False) is Mode.FOLDER
    assert choose_mode(folder, shared_database=True) is Mode.SHARED  # DATABASE_URL: replicas
    installed = tmp_path / "lib" / "site-packages" / "bot" / "knowledge"
    installed.mkdir(parents=True)
    assert choose_mode(installed, shared_database=False) is Mode.SHARED


def test_the_command_line_imports_lists_and_restores_through_the_versions(tmp_path, folder):
    env = {"PATH": "/usr/bin:/bin", "PYTHONIOENCODING": "utf-8", "MADOGUCHI_KNOWLEDGE": str(folder),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'shared.sqlite3'}", "MADOGUCHI_CACHE_DIR": "off", "HOME": str(tmp_path)}
    shipped = (folder / JETRO).read_bytes()

    def madoguchi(*args):
        return subprocess.run([sys.executable, "-m", "bot", *args], env=env, cwd=tmp_path, capture_output=True,
                              text=True, timeout=120)

    book = tmp_path / "book.xlsx"
    assert madoguchi("knowledge", "export", str(book)).returncode == 0
    edited = load_workbook(book)
    next(r for r in edited["jetro"].iter_rows(min_row=2) if r[0].value == "jetro-sendai")[5].value = "022-000-1212"
    edited.save(book)
    imported = madoguchi("knowledge", "import", str(book))
    assert imported.returncode == 0 and "版 1 として反映しました" in imported.stdout, imported.stderr
    assert "022-000-1212" in madoguchi("ask", "ジェトロ仙台").stdout
    assert (folder / JETRO).read_bytes() == shipped  # shared: the files as shipped stay as they are
    listed = madoguchi("knowledge", "versions")
    assert "版 1  反映  book.xlsx" in listed.stdout and "022-000-1212" in listed.stdout
    restored = madoguchi("knowledge", "restore")
    assert restored.returncode == 0 and "版 1 の前に戻しました" in restored.stdout
    assert "022-000-1212" not in madoguchi("ask", "ジェトロ仙台").stdout
    off = subprocess.run([sys.executable, "-m", "bot", "knowledge", "versions"], env={**env, "MADOGUCHI_DB": "off"},
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert off.returncode == 1 and "MADOGUCHI_DB が off" in off.stderr


def test_an_edit_of_the_folder_itself_is_loaded_with_the_versions_on_top(tmp_path, folder):
    """A read-only mount edited on the host, then SIGHUP: the reload replays the versions onto the folder as it is
    now, not onto the copy made before."""
    versions = Versions(tmp_path / "r.sqlite3")
    source = KnowledgeSource(folder, versions, Mode.SHARED)
    old_fukuoka = number(source.load(), "jetro-fukuoka")
    old_sendai = number(source.load())
    version = versions.propose(files=jetro_with(folder, old_sendai, "022-000-5656"), previous={}, base=0,
                               kind="workbook", name="x.xlsx", summary="", user="U1")
    versions.decide(version, "U1", True)
    assert number(source.load()) == "022-000-5656"
    hikitsugi = folder / "contacts" / "hikitsugi.csv"
    old_miyagi = number(source.load(), "hikitsugi-miyagi")
    hikitsugi.write_text(hikitsugi.read_text(encoding="utf-8").replace(old_miyagi, "022-000-7878"), encoding="utf-8")
    knowledge = source.load()
    assert number(knowledge, "hikitsugi-miyagi") == "022-000-7878" and number(knowledge) == "022-000-5656"
    assert number(knowledge, "jetro-fukuoka") == old_fukuoka
    assert len([p for p in source._work.iterdir()]) <= 2  # the one before is kept, older ones removed
    source.close()


def test_check_knowledge_says_which_versions_the_bot_lays_on_top_and_whether_they_fit(tmp_path, folder):
    env = {"PATH": "/usr/bin:/bin", "PYTHONIOENCODING": "utf-8", "MADOGUCHI_KNOWLEDGE": str(folder),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'shared.sqlite3'}", "MADOGUCHI_CACHE_DIR": "off", "HOME": str(tmp_path)}

    def check():
        done = subprocess.run([sys.executable, "-m", "bot", "check-knowledge"], env=env, cwd=tmp_path,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout

    versions = Versions(tmp_path / "shared.sqlite3")
    assert "反映した版: なし" in check()
    old = (folder / JETRO).read_text(encoding="utf-8")
    fits = versions.propose(files={JETRO: old.replace(number_of_jetro(folder), "022-000-3434")}, previous={}, base=0,
                            kind="workbook", name="a.xlsx", summary="", user="UCUR")
    versions.decide(fits, "UCUR", True)
    assert "最新は版 1（a.xlsx、UCUR）" in check() and "重ねて答えます" in check()
    broken = versions.propose(files={JETRO: "id,name\n"}, previous={}, base=fits, kind="workbook", name="b.xlsx",
                              summary="", user="UCUR")
    versions.decide(broken, "UCUR", True)
    assert "注意: 反映した版がこのフォルダーのファイルに重なりません" in check()


def number_of_jetro(folder) -> str:
    return next(line.split(",")[5] for line in (folder / JETRO).read_text(encoding="utf-8").splitlines()
                if line.startswith("jetro-sendai,"))
