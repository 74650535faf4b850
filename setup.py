"""The packages of the wheel, found rather than listed: every package under bot/ (a module added in a new folder
ships without touching this file), and the default knowledge (the repository's knowledge/ folder, installed as the
package madoguchi_knowledge, so that an installed bot answers from any working directory). Everything else about the
build is in pyproject.toml."""

from setuptools import find_packages, setup

setup(packages=[*find_packages(include=["bot", "bot.*"]), "madoguchi_knowledge"])
