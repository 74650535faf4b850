"""Real questions, as people type them, answered from the real knowledge through the real tokenizer."""

import pytest

from bot.core import answer as A
from bot.core.answer import Ask, Gap, Missing
from bot.core.answer import Jurisdiction as J


def ids(answer):
    return [c.id for c in answer.contacts]


def ask(chat, conversation, *turns):
    answer = None
    for turn in turns:
        answer = chat.reply(conversation, turn)
    return answer


def assert_in_place(knowledge, answer):
    """Never a contact from the wrong prefecture: every contact serves the place asked about."""
    if not answer.place.prefectures or answer.nearby:
        return
    for c in answer.contacts:
        served = knowledge.prefectures_served(c)
        assert any(p in served for p in answer.place.prefectures), (c.id, answer.place)


# (question, contact ids that must be in the answer)
EVERY_TABLE = [
    ("中小企業庁の金融課の電話番号", ["chusho-cho-08"]),
    ("東北経済産業局の特許室", ["meti-tohoku-10"]),
    ("山梨県の中小企業担当の部署はどこ？", ["pref-sme-yamanashi"]),
    ("経営革新計画の承認を受けたい 青森", ["kakushin-aomori"]),
    ("和歌山で経営全般の相談をしたい", ["support-wakayama"]),
    ("仙台市で経営相談ができるところ", ["city-support-sendai", "support-miyagi"]),
    ("返済が苦しい 高知", ["saisei-kochi"]),
    ("仙台で事業承継の相談をしたい", ["hikitsugi-miyagi"]),
    ("和歌山で組合の設立支援をしてくれる団体", ["chuokai-wakayama"]),
    ("名古屋にある中小機構の本部", ["smrj-chubu"]),
    ("中国地方で新連携事業の計画を相談したい", ["shinjigyo-chugoku"]),
    ("四国で専門家派遣をお願いしたい", ["consult-shikoku"]),
    ("岩手で震災からの復興を支援してくれる拠点", ["fukko-sodan-iwate", "fukko-center-morioka"]),
    ("平日に電話できる中小企業向けの相談ダイヤルは？", ["hotline"]),
    ("ジェトロ福岡の電話番号", ["jetro-fukuoka"]),
    ("滋賀で設備投資の借入をしたい", ["finance-jfc"]),
    ("全国中小企業取引振興協会の電話", ["national-torihiki"]),
    ("山梨みらいファンド", ["fund-startup-yamanashi"]),
    ("奈良県の農工商連携型ファンドを運営しているのはどこ？", ["fund-agri-nara"]),
    ("ちばぎんキャピタルが運営しているファンド", ["fund-challenge-chiba"]),
    ("二重ローン 宮城", ["fukko-sodan-miyagi"]),
]

PLACES = [
    # prefectures with and without 県/都/府, kana, romaji, English
    ("宮城県の事業承継", ["hikitsugi-miyagi"]),
    ("宮城の事業承継", ["hikitsugi-miyagi"]),
    ("みやぎ 事業承継", ["hikitsugi-miyagi"]),
    ("ミヤギで事業承継", ["hikitsugi-miyagi"]),
    ("Miyagi 事業承継", ["hikitsugi-miyagi"]),
    ("ＭＩＹＡＧＩ 事業承継", ["hikitsugi-miyagi"]),
    ("東京都の事業承継", ["hikitsugi-tokyo"]),
    ("とうきょう 事業承継", ["hikitsugi-tokyo"]),
    ("Tokyo business succession", ["hikitsugi-tokyo"]),
    ("大阪府の再生支援", ["saisei-osaka"]),
    ("おおさか 再生", ["saisei-osaka"]),
    ("Osaka turnaround", ["saisei-osaka"]),
    ("Where can I consult about patents in Hokkaido?", ["meti-hokkaido-10"]),  # plural English words
    ("Trademarks Osaka", ["meti-kinki-12"]),
    ("phone number of Kanto Bureau of Economy, Trade and Industry", ["meti-kanto-00"]),  # not 'trade' = export
    ("What is the number for the SME Agency finance division?", ["chusho-cho-08"]),
    ("京都府の組合", ["chuokai-kyoto"]),
    ("きょうと 組合", ["chuokai-kyoto"]),
    ("北海道の中央会", ["chuokai-hokkaido"]),
    ("ほっかいどう ジェトロ", ["jetro-hokkaido"]),
    ("Hokkaido JETRO", ["jetro-hokkaido"]),
    ("わかやまで事業継承の相談窓口ってある？", ["hikitsugi-wakayama"]),
    ("ふくしまで事業承継", ["hikitsugi-fukushima"]),  # Sudachi: ふくし / まで — the name ends inside まで
    ("とくしまで事業承継", ["hikitsugi-tokushima"]),
    ("まつえし 事業承継", ["hikitsugi-shimane"]),  # ま / つえ / し: endings only, but standing on their own
    ("ならで事業承継", ["hikitsugi-nara"]),  # なら is an ending for Sudachi; alone before で it is 奈良
    ("しが 組合 相談", ["chuokai-shiga"]),
    ("こうち 経営革新", ["kakushin-kochi"]),
    ("かごしまの再生協議会", ["saisei-kagoshima"]),
    ("Kagoshima saisei", ["saisei-kagoshima"]),
    ("Oita JETRO", ["jetro-oita"]),
    ("Kochi export", ["jetro-kochi"]),
    ("Hyogo succession", ["hikitsugi-hyogo"]),
    ("ひょうご 事業承継", ["hikitsugi-hyogo"]),
    ("三重県の経営革新計画", ["kakushin-mie"]),
    ("みえけん 経営革新", ["kakushin-mie"]),
    ("奈良の中央会", ["chuokai-nara"]),
    ("ぎふ 事業承継", ["hikitsugi-gifu"]),
    ("Gifu succession", ["hikitsugi-gifu"]),
    # cities
    ("仙台でジェトロ", ["jetro-sendai"]),
    ("札幌で経営相談", ["city-support-sapporo", "support-hokkaido"]),
    ("さっぽろ 事業承継", ["hikitsugi-hokkaido"]),
    ("横浜の会社です。事業承継について", ["hikitsugi-kanagawa"]),
    ("川崎市で経営相談", ["city-support-kawasaki", "support-kanagawa"]),
    ("浜松で経営相談", ["support-shizuoka"]),
    ("堺市で小さな工場を経営しています。経営相談できる支援機関は？", ["support-osaka"]),
    ("福山市の会社ですが、経営のアドバイスがほしい", ["support-hiroshima"]),
    ("石巻の水産加工業者です。震災からの事業復旧について相談したい", ["fukko-sodan-miyagi"]),
    ("大津で後継者がいない会社の相談", ["hikitsugi-shiga"]),
    ("佐賀市で経営の立て直しを相談したい", ["saisei-saga"]),
    ("北九州のジェトロ", ["jetro-kitakyushu"]),
    ("盛岡 ジェトロ", ["jetro-morioka"]),
    ("金沢で輸出の相談", ["jetro-kanazawa"]),
    ("那覇 組合", ["chuokai-okinawa"]),
    ("宇都宮 事業再生", ["saisei-tochigi"]),
    ("水戸で二重ローン", ["fukko-sodan-ibaraki"]),
    ("いわき市 二重ローン", ["fukko-sodan-fukushima"]),
    ("気仙沼 復興", ["fukko-sodan-miyagi"]),
    ("新宿区の会社 事業承継", ["hikitsugi-tokyo"]),
    ("渋谷で経営相談", ["support-tokyo"]),
    ("さいたま新都心の関東経済産業局、代表番号は？", ["meti-kanto-00"]),
    ("高松 経営革新", ["kakushin-kagawa"]),
    ("松山で組合を作りたい", ["chuokai-ehime"]),
    ("Sendai business succession", ["hikitsugi-miyagi"]),
    ("神戸で起業したい", ["city-support-kobe", "support-hyogo"]),
    ("ひろしまし 経営相談", ["city-support-hiroshima"]),
    # regions
    ("九州で特許", ["meti-kyushu-10"]),
    ("近畿経産局で特許の相談", ["meti-kinki-12"]),
    ("関西の経産局の代表番号", ["meti-kinki-00"]),
    ("四国で専門家派遣をお願いしたい", ["consult-shikoku"]),
    ("地域資源を使った新商品開発、四国の相談窓口", ["shinjigyo-shikoku"]),
    ("北陸 中小機構", ["smrj-hokuriku"]),
    ("東海で新連携", ["shinjigyo-chubu-1"]),
    ("東北の中小機構", ["smrj-tohoku"]),
    ("九州の中小機構で新連携", ["shinjigyo-kyushu-1"]),
    ("沖縄で特許の相談", ["meti-okinawa-04"]),
]

TOPICS = [
    # synonyms and ways of saying it
    ("研究開発の支援 大阪", ["meti-kinki-10"]),
    ("産学連携 宮城", ["meti-tohoku-09"]),
    ("新分野進出 岐阜", ["kakushin-gifu"]),
    ("事業転換したい 新潟", ["kakushin-niigata"]),
    ("原材料が高騰 香川", ["support-kagawa"]),
    ("ものづくり補助金 福岡", ["chuokai-fukuoka"]),  # its regional offices are the 中央会
    ("売上が激減 徳島", ["finance-jfc"]),
    ("国金の番号", ["finance-jfc"]),  # the old name's usual short form
    ("Who can I talk to about exporting from Hokkaido?", ["jetro-hokkaido"]),
    ("I want to sell my company in Kumamoto", ["hikitsugi-kumamoto"]),
    ("my business is struggling, Osaka", ["support-osaka"]),
    ("what's the number of the SME Agency financial division", ["chusho-cho-08"]),
    ("osaka yuushi", ["finance-jfc"]),
    ("無料で相談できる窓口 埼玉", ["support-saitama"]),
    ("銀行に断られた 岡山", ["finance-jfc"]),
    ("銀行への返済を待ってもらいたい 神奈川", ["saisei-kanagawa"]),
    ("閉店を考えている 佐賀", ["hikitsugi-saga"]),
    ("バイヤーを紹介して 大分", ["consult-kyushu"]),
    ("うちの工場を誰かに売りたい 静岡", ["hikitsugi-shizuoka"]),
    ("家業を継ぐか悩んでいる 愛媛", ["hikitsugi-ehime"]),
    ("商品を売りたい 静岡", ["consult-chubu"]),
    ("製品の売り込み先を探している 大阪", ["consult-kinki-1"]),
    # a narrower topic with no office in the place gives way to the wider one (no startup fund in 兵庫)
    ("スタートアップ応援ファンド 兵庫", ["fund-agri-hyogo"]),
    ("千葉県で二重債務の相談に乗ってくれるところはありますか", ["fukko-sodan-chiba"]),
    ("2重ローン 福島", ["fukko-sodan-fukushima"]),
    ("津波で工場が流された 岩手", ["fukko-sodan-iwate"]),
    ("原発事故の風評被害 福島", ["fukko-sodan-fukushima"]),
    ("double loan help Fukushima prefecture", ["fukko-sodan-fukushima"]),
    ("Miyagi double loan", ["fukko-sodan-miyagi"]),
    ("後継者がいない 岩手", ["hikitsugi-iwate"]),
    ("跡継ぎがいなくて困っている 秋田", ["hikitsugi-akita"]),
    ("M&A 東京", ["hikitsugi-tokyo"]),
    ("店を譲りたい 横浜", ["hikitsugi-kanagawa"]),
    ("会社を買いたい 神奈川", ["hikitsugi-kanagawa"]),  # the buying side of M&A goes to the same centre
    ("他社を買収したい 愛知", ["hikitsugi-aichi"]),
    ("会社を誰かに引き継ぎたい 愛知", ["hikitsugi-aichi"]),
    ("事業引継ぎ 長野", ["hikitsugi-nagano"]),
    ("事業引き継ぎ 長野", ["hikitsugi-nagano"]),
    ("事業引継 長野", ["hikitsugi-nagano"]),
    ("Who can help me find a successor for my company in Saga?", ["hikitsugi-saga"]),
    ("事業承継・引継ぎ支援センター 熊本", ["hikitsugi-kumamoto"]),
    ("中小企業活性化協議会 広島", ["saisei-hiroshima"]),
    ("リスケ 愛媛", ["saisei-ehime"]),
    ("借入金の返済条件を変更したい 山口", ["saisei-yamaguchi"]),
    ("徳島の会社、事業再生の支援を受けたい", ["saisei-tokushima"]),
    ("倒産しそう 長野", ["saisei-nagano"]),
    ("Keiei kakushin keikaku Tokushima", ["kakushin-tokushima"]),
    ("けいえいかくしん ふくしま", ["kakushin-fukushima"]),
    ("経営革新計画の認定をとりたい、山梨県の事業者です", ["kakushin-yamanashi"]),
    ("高知で海外に商品を売りたい", ["jetro-kochi"]),
    ("輸出したい 新潟", ["jetro-niigata"]),
    ("ｼﾞｪﾄﾛ 新潟", ["jetro-niigata"]),
    ("JETRO Tottori", ["jetro-tottori"]),
    ("日本貿易振興機構 熊本", ["jetro-kumamoto"]),
    ("高知県の知財相談はどこ？", ["meti-shikoku-09"]),
    ("奈良で特許を取りたい", ["meti-kinki-12"]),
    ("商標登録の相談 仙台", ["meti-tohoku-10"]),
    ("patent Hokkaido", ["meti-hokkaido-10"]),
    ("資金繰りの相談 沖縄", ["finance-okinawa-kouko"]),
    ("融資を受けたい", ["finance-jfc", "finance-shokochukin"]),
    ("信用保証協会", ["finance-zenshinhoren"]),
    ("徳島県で協同組合をつくりたい", ["chuokai-tokushima"]),
    ("事業協同組合 群馬", ["chuokai-gunma"]),
    ("ファンド 青森", ["fund-startup-aomori", "fund-agri-aomori", "fund-challenge-aomori"]),
    ("投資ファンド 鳥取", ["fund-challenge-tottori"]),
    ("農工商連携ファンド 福岡", ["fund-agri-fukuoka"]),
    ("新連携 宮城", ["shinjigyo-tohoku"]),
    ("農商工連携 北陸", ["shinjigyo-hokuriku-3"]),
    ("地域資源活用 北陸", ["shinjigyo-hokuriku-2"]),
    ("販路開拓 関東", ["consult-kanto-2"]),
    ("専門家派遣 東京", ["consult-kanto-1"]),
    ("下請代金の支払いが遅れている", ["chusho-cho-10", "national-torihiki"]),
    ("ホットライン", ["hotline"]),
    ("県庁の中小企業担当 鹿児島", ["pref-sme-kagoshima"]),
    ("日本商工会議所の電話番号", ["national-jcci"]),
    ("商店街振興組合の全国団体", ["national-shotengai"]),
    ("全国商工会連合会", ["national-shokokai"]),
    ("商工中金の電話番号", ["finance-shokochukin"]),
    ("日本公庫", ["finance-jfc"]),
    ("沖縄公庫", ["finance-okinawa-kouko"]),
    ("親会社から値下げを強要された", ["chusho-cho-10"]),
    ("会社をたたみたい 青森", ["hikitsugi-aomori"]),
    ("地域の特産品を使った商品開発 宮崎", ["shinjigyo-kyushu-2"]),
    ("海外の取引先を探したい 神戸", ["jetro-kobe"]),
    ("親の会社を継ぐことになった 長崎", ["hikitsugi-nagasaki"]),  # こと is not 江東(区)
    ("売上が減って資金が足りない 静岡", ["finance-jfc"]),
    ("中小企業診断士を派遣してほしい 香川", ["consult-shikoku"]),
    ("SME support center Hyogo", ["support-hyogo"]),
    ("patent consultation in Kyushu", ["meti-kyushu-10"]),
    ("Chamber of commerce", ["national-jcci"]),
    ("産業振興センター 岡山", ["support-okayama"]),
    ("大阪本部（ジェトロ）", ["jetro-osaka-honbu"]),
    ("ジェトロの本部", ["jetro-honbu", "jetro-osaka-honbu"]),
    ("中小機構 関東本部の代表番号", ["fukko-center-smrj-kanto"]),
    ("ローンが二重になっちゃった 宮城", ["fukko-sodan-miyagi", "fukko-center-sendai"]),  # the words in another order
    ("経営がやばい 広島", ["saisei-hiroshima"]),
    ("会社が潰れそう 岡山", ["saisei-okayama"]),
    ("展示会に出たい 北陸", ["consult-hokuriku"]),
    ("京都府の商工担当", ["pref-sme-kyoto"]),
    ("宮城県栗原郡一迫町で事業承継", ["hikitsugi-miyagi"]),
    ("大阪市北区で組合", ["chuokai-osaka"]),
    ("台湾の企業と取引したい 福岡", ["jetro-fukuoka"]),  # a foreign country means 海外展開
    ("中国の企業と取引したい 大阪", ["jetro-osaka-honbu"]),  # 中国 the country, not 中国地方
    ("商品のブランドを守りたい 大阪", ["meti-kinki-12"]),
    ("農家と一緒に加工品を作りたい 高知", ["shinjigyo-shikoku"]),
    ("従業員の給料が払えない 福岡", ["saisei-fukuoka"]),
    ("ホームページを作りたい 福岡", ["consult-kyushu"]),  # の + 商工 does not sound like 農商工 (a particle is no kana name)
    ("下請かけこみ寺", ["national-torihiki"]),
    ("国民生活事業", ["finance-jfc"]),  # a former body, now part of 日本政策金融公庫
    # endings and particles that sound like a place (取りたいと ≠ 台東区) name none
    ("特許を取りたいと思っているのですが、どこに相談できますか？名古屋の会社です。", ["meti-chubu-10"]),
    ("同業者で組合を作って共同で仕入れをしたいと考えています。新潟県でどこに聞けばよいですか。", ["chuokai-niigata"]),
    # について, トラブル: words that do not make a vague consultation a question we cannot answer
    ("経営について誰かに相談したい。高知です", ["support-kochi"]),
    ("取引でトラブルになった 北陸", ["meti-kinki-02", "chusho-cho-10"]),  # 近畿's office covers only 福井 of 北陸
    ("電話で経営相談できるところ", ["hotline"]),  # ところ → 所 is not a word of (京都高度技術)研究所's name
    ("チャレンジ企業応援ファンド", ["fund-challenge-tottori", "fund-challenge-chiba"]),
    ("うちの店を誰かに譲りたいんだけど、どこに聞けばいい？埼玉", ["hikitsugi-saitama"]),  # 店を … 譲る, words apart
    ("借金が返せない 千葉", ["saisei-chiba"]),
    ("まちの中小企業の相談所 高知", ["support-kochi"]),
    ("農業と商業の連携 岡山", ["shinjigyo-chugoku"]),
    # English: a topic word after "advice on" is the topic; small words (on, issues, handles) are not unknown
    ("Where can I get advice on business succession in Hokkaido?", ["hikitsugi-hokkaido"]),
    ("I want to export my products. I'm in Kobe.", ["jetro-kobe"]),
    ("Who handles subcontracting issues in Kyushu?", ["chusho-cho-10"]),
    ("business revitalization Kyoto", ["saisei-kyoto"]),
    ("How can I contact JETRO headquarters?", ["jetro-honbu"]),  # headquarters = 本部 (knowledge/aliases.toml)
    ("What is the phone number for the Chubu bureau?", ["meti-chubu-00"]),
    ("I am in Sapporo and need advice", ["city-support-sapporo"]),
    ("Osaka prefecture office for small businesses", ["pref-sme-osaka"]),
    ("Okinawa Development Finance Corporation", ["finance-okinawa-kouko"]),
    ("National Federation of Small Business Associations", ["national-chuokai"]),
    ("事業を売りたい 石川", ["hikitsugi-ishikawa"]),
    ("私的整理 沖縄", ["saisei-okinawa"]),
    ("新しい事業に挑戦する計画の承認 北海道", ["kakushin-hokkaido"]),
    ("発明を守りたい 栃木", ["meti-kanto-12"]),
    ("支払いが遅い取引先 滋賀", ["meti-kinki-02"]),
    # all-kana questions Sudachi cuts across the particle: とっ/とりで is 鳥取 + で (never 取手市 of 茨城)
    ("とっとりでじぎょうしょうけい", ["hikitsugi-tottori"]),
    ("ぎふでじぎょうしょうけい", ["hikitsugi-gifu"]),
    ("なら じぎょうしょうけい", ["hikitsugi-nara"]),
    # a keyword said without its を/が (会社をたたむ → 会社たたむ); casual money words
    ("会社たたみたい 秋田", ["hikitsugi-akita"]),
    ("資金足りない 大阪", ["finance-jfc"]),
    ("金がない 東京", ["finance-jfc"]),
    ("借金きつい 福岡", ["saisei-fukuoka"]),
    # common misspellings of a prefecture, as its aliases in knowledge/reference/prefectures.csv
    ("事業引き継ぎ 大坂", ["hikitsugi-osaka"]),
    ("事業承継 いばらぎ", ["hikitsugi-ibaraki"]),
    # opening a shop is starting a business: the 支援センター's 創業 help
    ("パン屋を始めたい 東京", ["support-tokyo"]),
    ("カフェを開きたい 大阪", ["support-osaka"]),
    ("会社を作りたい 福岡", ["support-fukuoka"]),
    ("宮城で相談先を教えてください", ["support-miyagi"]),  # ください is a polite ending, not a word we failed to read
    ("どこに相談するか迷っています。山形です", ["support-yamagata"]),
    ("九州・沖縄の特許室", ["meti-kyushu-10", "meti-okinawa-04"]),  # one region name, not 九州 and then 沖縄県 alone
    ("中小機構の震災復興の窓口", ["fukko-center-smrj-hq"]),
    ("千葉県で起業したばかりです。ファンドからの出資を受けたいのですが。", ["support-chiba", "fund-challenge-chiba"]),  # 中小機構's own 震災 department, not every prefecture's centre
]


def test_an_ending_in_a_chain_of_endings_names_no_country(chat, conversation):
    """「継がせたい」: the ending たい after せ is not タイ (Thailand), so no ジェトロ joins the 事業承継 answer."""
    answer = chat.reply(conversation, "新潟県で会社を息子に継がせたいのですが、相談窓口はありますか")
    assert ids(answer) == ["hikitsugi-niigata"]

TYPOS = [
    # the wrong kanji of the same sound (an input-method slip) in a long enough word
    ("経営確信計画 愛知", ["kakushin-aichi"]),
    ("再生支援教議会 長野", ["saisei-nagano"]),
    ("中小企業団体中央回 島根", ["chuokai-shimane"]),
    ("事業継承 新潟", ["hikitsugi-niigata"]),
    ("二十ローン 宮城", ["fukko-sodan-miyagi"]),
    ("ジェトロウ 福岡", ["jetro-fukuoka"]),
    ("にじゅうろーん いわて", ["fukko-sodan-iwate"]),
    ("じぇとろ 青森", ["jetro-aomori"]),
]

NAMES = [
    ("中小企業庁 調査室", ["chusho-cho-05"]),
    ("中小企業庁で新事業促進を担当している課の番号", ["chusho-cho-13"]),
    ("九州経済産業局で中小企業の経営支援を担当している室", ["meti-kyushu-02"]),
    ("商工政策課（高知県）の直通番号", ["pref-sme-kochi"]),
    ("東北経済産業局の代表番号", ["meti-tohoku-00"]),
    ("北海道にある中小機構の本部の連絡先", ["smrj-hokkaido"]),
    ("茨城県産業復興相談センターの連絡先", ["fukko-sodan-ibaraki"]),
    ("さっぽろ産業振興財団", ["city-support-sapporo"]),
    ("中小機構 震災緊急復興事業推進部の番号", ["fukko-center-smrj-hq"]),
    ("こうち産業振興基金について聞きたい", ["fund-startup-kochi"]),
    ("ジェトロ本部", ["jetro-honbu"]),
    ("ジェトロ大阪", ["jetro-osaka-honbu"]),
    ("諏訪のジェトロ", ["jetro-suwa"]),
    ("みやぎ産業振興機構", ["support-miyagi"]),
    ("あいち産業振興機構", ["support-aichi"]),
    ("京都産業21", ["support-kyoto"]),
    ("くまもとテクノ産業財団", ["support-kumamoto"]),
    ("横浜企業経営支援財団", ["city-support-yokohama"]),
    ("宮城県中小企業再生支援協議会", ["saisei-miyagi"]),
    ("宮城県中小企業活性化協議会", ["saisei-miyagi"]),
    ("東京都事業承継・引継ぎ支援センター", ["hikitsugi-tokyo"]),
    ("全国中小企業団体中央会", ["national-chuokai"]),
    ("沖縄総合事務局の特許室", ["meti-okinawa-04"]),
    ("中小企業復興支援センター 仙台", ["fukko-center-sendai"]),
    ("とっとりキャピタル", ["fund-challenge-tottori"]),
    ("いわて希望ファンド", ["fund-startup-iwate"]),
    ("フードパレとちぎ農工商ファンド", ["fund-agri-tochigi"]),
    ("みえ地域コミュニティ応援ファンド(地域資源活用型)", ["fund-startup-mie-2"]),
    ("中小企業庁の取引課", ["chusho-cho-10"]),
    ("中小企業庁の創業担当", ["chusho-cho-14"]),  # 中小企業庁 is a topic word and still the name of the agency
    ("東北経済産業局で情報産業を担当する室", ["meti-tohoku-12"]),
    ("関東経済産業局で中小企業の金融を担当している課", ["meti-kanto-02"]),
    ("中小企業庁 広報相談室", ["chusho-cho-02", "chusho-cho-03"]),
    ("近畿経済産業局 国際事業課", ["meti-kinki-15"]),
    # a division found by what it is in charge of (knowledge/division_topics.toml)
    ("関東経済産業局で中小企業の資金繰りを担当している課", ["meti-kanto-02"]),
    ("中小企業庁で商店街を担当している課", ["chusho-cho-15"]),
    ("倒産防止の担当 中小企業庁", ["chusho-cho-06"]),
    ("中小企業庁で税制の担当", ["chusho-cho-09"]),
    ("中小企業庁で事業承継を担当している課", ["chusho-cho-09"]),
    ("東北経産局 海外展開", ["meti-tohoku-04"]),
    ("関東経済産業局の中小企業金融課", ["meti-kanto-02"]),
    ("中国経済産業局の新事業支援室", ["meti-chugoku-02"]),
]

REVERSE = [
    ("022-722-3858", ["fukko-sodan-miyagi"]),
    ("0227223858", ["fukko-sodan-miyagi"]),
    ("０２２－７２２－３８５８", ["fukko-sodan-miyagi"]),
    ("(022)722-3858 はどこ？", ["fukko-sodan-miyagi"]),
    ("電話番号 0742-22-3200 の団体名は？", ["chuokai-nara"]),
    ("075-212-7937 の名称を教えて", ["saisei-kyoto"]),
    ("0776-33-1661 から着信があったんだけど、どこ？", ["jetro-fukui"]),
    ("0120-154-505", ["finance-jfc", "finance-shokochukin"]),
    ("022-225-6636", ["support-miyagi", "hikitsugi-miyagi", "fund-startup-miyagi"]),
    ("090-5219-5527", ["fukko-center-morioka"]),
    ("+81-22-722-3858", ["fukko-sodan-miyagi"]),  # the international form
    ("022.722.3858", ["fukko-sodan-miyagi"]),
]


@pytest.mark.parametrize("question, expected", EVERY_TABLE + PLACES + TOPICS + TYPOS + NAMES + REVERSE)
def test_question_is_answered_with_the_right_contacts(chat, knowledge, conversation, question, expected):
    """The answer lists the expected offices, at most five, all serving the place asked about."""
    answer = chat.reply(conversation, question)
    assert answer.kind in (A.CONTACTS, A.REVERSE), (answer.kind, answer.question_text)
    for cid in expected:
        assert cid in ids(answer), (question, ids(answer))
    assert len(answer.contacts) <= 6
    assert_in_place(knowledge, answer)


CLARIFY = [
    ("東京都港区", "intent"),  # a ward of the address is a place, not a word we failed to understand
    ("事業承継について誰に聞けばいい？", "prefecture"),
    ("松本さんに聞いたら中央会がいいと言われた", "prefecture"),  # 松本さん is a person, not 松本市
    ("宮崎社長から紹介されたジェトロ", "prefecture"),
    ("ファンドの問い合わせ先を知りたい", "prefecture"),
    ("中央会の電話番号", "prefecture"),
    ("会社の引き継ぎ先を探したい", "prefecture"),
    ("ジェトロ", "prefecture"),
    ("経営革新", "prefecture"),
    ("特許室", "area"),
    ("新連携の相談", "area"),
    ("中小機構", "area"),
    ("宮城県", "intent"),
    ("滋賀県です", "intent"),
    ("仙台", "intent"),
    ("中国に輸出したい", "prefecture"),
]


@pytest.mark.parametrize("question, asks_for", CLARIFY)
def test_vague_question_gets_one_clarifying_question(chat, conversation, question, asks_for):
    """Too vague → a short question whose choices are what the data really has; no contact list."""
    answer = chat.reply(conversation, question)
    assert answer.kind == A.CLARIFY
    assert answer.choices and all(c.value.startswith(asks_for + ":") for c in answer.choices)
    assert len(answer.contacts) == 0


def test_prefecture_choices_are_only_those_that_have_the_office(chat, conversation):
    """Choices for the チャレンジ企業応援型 fund are the three prefectures that have one."""
    answer = chat.reply(conversation, "チャレンジ企業応援型のファンドで出資を受けたい")
    assert answer.kind == A.CONTACTS  # three offices: listed rather than asked
    assert sorted(ids(answer)) == ["fund-challenge-aomori", "fund-challenge-chiba", "fund-challenge-tottori"]
    answer = chat.reply(conversation + "2", "農工商連携ファンド")
    assert answer.kind == A.CLARIFY
    assert {c.label for c in answer.choices} == {"北海道", "青森県", "岩手県", "秋田県", "山形県", "福島県", "栃木県", "千葉県",
                                                "長野県", "静岡県", "岐阜県", "三重県", "富山県", "京都府", "奈良県", "和歌山県",
                                                "兵庫県", "鳥取県", "徳島県", "香川県", "愛媛県", "高知県", "福岡県", "佐賀県",
                                                "長崎県", "宮崎県"}


def test_a_short_table_is_listed_when_no_prefecture_is_given(chat, conversation):
    """All six 産業復興相談センター are listed for 二重ローン without a prefecture."""
    answer = chat.reply(conversation, "二重ローンの相談窓口")
    assert answer.kind == A.CONTACTS
    assert len(answer.contacts) == 6
    assert {c.category for c in answer.contacts} == {"reconstruction_consultation"}


def test_clarifying_question_mentions_the_national_body(chat, conversation):
    """中央会 without a prefecture asks where, and names the national federation beside the question."""
    answer = chat.reply(conversation, "中央会の電話番号")
    assert [c.id for c in answer.national] == ["national-chuokai"]


FALLBACK = [
    "税金の相談 宮城",  # a division topic (税制 → 財務課) alone names no office
    "おすすめのランチ 奈良",
    "パスポートの申請方法",
    "週末に雨降る？",
    "天気",
    "おすすめのラーメン屋",
    "ラーメン屋 奈良",  # a line of business with nothing asked about it
    "株価を教えて",
    "What is the weather in Tokyo?",
    "asdfghjkl",
    "！？",
    "奈良の美味しいランチを相談したい",  # a vague word (相談) does not make an unrelated question ours
    "東京の天気について相談",
    "東京の海外旅行",  # 海外旅行 is listed as not ours, and is longer than 海外 (export)
]


@pytest.mark.parametrize("question", FALLBACK)
def test_out_of_scope_gets_an_honest_fallback_with_the_hotline(chat, conversation, question):
    """Nothing we know → 見つかりませんでした plus the general hotline; never an invented contact."""
    answer = chat.reply(conversation, question)
    assert answer.kind == A.FALLBACK
    assert answer.contacts == ()
    assert answer.hotline.phones[0].number == "0570-009-111"


def test_an_unknown_number_is_said_to_be_unknown(chat, conversation):
    """A phone number not in the list is not attributed to anyone."""
    answer = chat.reply(conversation, "03-1234-5678 から電話がありました")
    assert answer.kind == A.UNKNOWN_NUMBER and answer.contacts == ()
    assert answer.number == "03-1234-5678"  # echoed as written, not as bare digits


def test_a_place_alone_offers_only_the_kinds_of_office_it_has(chat, conversation):
    """「北海道」 asks which office, without 産業復興相談センター (none in 北海道 or its region); 「宮城」 offers it."""
    hokkaido = chat.reply(conversation, "北海道")
    miyagi = chat.reply(conversation + "2", "宮城")
    assert hokkaido.kind == miyagi.kind == A.CLARIFY
    labels = {c.label for c in hokkaido.choices}
    assert "中小企業団体中央会（組合）" in labels and not any("産業復興" in label for label in labels)
    assert any("産業復興" in c.label for c in miyagi.choices)


def test_help_lists_only_what_can_be_answered(chat, conversation):
    """The help reply names the topics with offices, not the list of questions that are not ours."""
    answer = chat.reply(conversation, "使い方")
    assert "事業承継・事業引継ぎ" in answer.topics and "窓口ナビの対象外" not in answer.topics


def test_no_office_in_the_prefecture_offers_the_same_region_labelled_as_such(chat, knowledge, conversation):
    """滋賀 has no JETRO office in the list: the bot says so and offers 近畿 offices, marked as nearby."""
    answer = chat.reply(conversation, "滋賀のジェトロ")
    assert answer.nearby and answer.place.prefectures == ("滋賀",)
    assert answer.missing == Missing(Gap.NONE_HERE, subject=("ジェトロ（JETRO）国内事務所",), region="近畿")
    assert answer.contacts and all(knowledge.prefecture_of(c) != "滋賀" for c in answer.contacts)
    assert {knowledge.prefecture_of(c) for c in answer.contacts} <= {"三重", "京都", "大阪", "兵庫", "奈良", "和歌山"}


def test_a_prefecture_without_the_main_office_says_so(chat, conversation):
    """二重ローン in 高知: no 産業復興相談センター there, and the reply says which prefectures have one."""
    answer = chat.reply(conversation, "二重ローン 高知")
    assert answer.missing.gap == Gap.NOT_IN_PREFECTURE and answer.place.prefectures == ("高知",)
    assert "宮城" in answer.missing.where and "高知" not in answer.missing.where
    assert all(c.serves.kind == "nationwide" for c in answer.contacts)


MULTI_TURN = [
    (["福岡の再生支援協議会", "電話番号は？"], ["saisei-fukuoka"]),  # the details of the last answer again
    (["福岡の再生支援協議会", "ホームページは？"], ["saisei-fukuoka"]),
    (["宮城で事業承継", "いや、福岡です"], ["hikitsugi-fukuoka"]),
    (["事業承継の相談をしたい", "宮城です"], ["hikitsugi-miyagi"]),
    (["事業承継の相談をしたい", "宮城県"], ["hikitsugi-miyagi"]),
    (["事業承継の相談をしたい", "仙台"], ["hikitsugi-miyagi"]),
    (["会社の引き継ぎ先を探したい", "高知です"], ["hikitsugi-kochi"]),
    (["滋賀県です", "経営を立て直したいので相談先を教えて"], ["saisei-shiga"]),
    (["宮城県", "組合"], ["chuokai-miyagi"]),
    (["二重ローン 宮城", "福島は？"], ["fukko-sodan-fukushima"]),
    (["二重ローン 宮城", "特許は？"], ["meti-tohoku-10"]),
    (["青森で二重ローンに悩んでいます", "岩手県の窓口も知りたい"], ["fukko-sodan-iwate"]),
    (["香川のジェトロ", "隣の徳島にもある？"], ["jetro-tokushima"]),
    (["ジェトロ仙台", "福島は？"], ["jetro-fukushima"]),
    (["中小企業庁 調査室", "参事官室も"], ["chusho-cho-01"]),
    (["東北経済産業局の代表番号", "特許室は？"], ["meti-tohoku-10"]),
    (["ファンドの問い合わせ先を知りたい", "奈良"], ["fund-agri-nara"]),
    (["経営革新", "Tokushima"], ["kakushin-tokushima"]),
    (["特許室", "九州"], ["meti-kyushu-10"]),
    (["宮城県", "5"], ["hikitsugi-miyagi"]),
    (["022-722-3858", "福島は？"], ["fukko-sodan-fukushima"]),  # a number looked up sets the topic and the place
    (["事業承継の相談をしたい", "博多です"], ["hikitsugi-fukuoka"]),  # a well-known district, as the city's alias
    (["ジェトロ", "梅田"], ["jetro-osaka-honbu"]),
]


@pytest.mark.parametrize("turns, expected", [
    (["ジェトロ福岡", "電話番号は？"], ["jetro-fukuoka"]),  # not ジェトロ北九州 too, though both are 福岡県's
    (["ジェトロ本部", "URLは？"], ["jetro-honbu"]),  # no place was ever given: still the same office
    (["事業承継 宮城", "もう一度"], ["hikitsugi-miyagi"]),
    (["ジェトロ福岡", "022-722-3858", "電話番号は？"], ["fukko-sodan-miyagi"]),  # the office found by its number
    (["東北経済産業局の特許室", "代表番号は？"], ["meti-tohoku-00"]),  # the organization's own row
])
def test_a_question_about_the_last_answer_shows_those_offices(chat, conversation, turns, expected):
    """「電話番号は？」 right after an answer shows exactly the offices just shown; 「代表番号は？」 their organization's."""
    answer = ask(chat, conversation, *turns)
    assert ids(answer) == expected
    assert not answer.carried_place


@pytest.mark.parametrize("turns, expected", MULTI_TURN)
def test_follow_ups_reuse_what_the_conversation_established(chat, conversation, turns, expected):
    """The answer to a follow-up keeps the category or the place of the earlier turns."""
    answer = ask(chat, conversation, *turns)
    assert answer.kind == A.CONTACTS, answer
    for cid in expected:
        assert cid in ids(answer)


def test_conversations_are_independent(chat):
    """A place given in one conversation is not used in another."""
    chat.reply("test:independent:a", "事業承継の相談をしたい")
    chat.reply("test:independent:a", "宮城")
    other = chat.reply("test:independent:b", "事業承継の相談をしたい")
    assert other.kind == A.CLARIFY


def test_a_click_on_a_choice_answers_in_place(chat, conversation):
    """Choosing a prefecture button answers the pending question."""
    question = chat.reply(conversation, "事業承継について誰に聞けばいい？")
    miyagi = next(c for c in question.choices if c.label == "宮城県")
    answer = chat.choose(conversation, miyagi.value)
    assert ids(answer) == ["hikitsugi-miyagi"]


@pytest.mark.parametrize("text, kind", [("こんにちは", A.GREETING), ("ありがとうございました", A.THANKS),
                                        ("使い方", A.HELP), ("ヘルプ", A.HELP), ("help", A.HELP), ("", A.FALLBACK)])
def test_greetings_help_and_thanks_get_short_useful_replies(chat, conversation, text, kind):
    """Small talk is recognised and not mistaken for a question."""
    assert chat.reply(conversation, text).kind == kind


def test_renamed_bodies_get_a_note_with_todays_name(chat, conversation):
    """A 再生支援協議会 answer says it is now the 中小企業活性化協議会."""
    answer = chat.reply(conversation, "再生支援協議会 広島")
    assert any(r.renamed_to == "中小企業活性化協議会" for r in answer.renamed)


def test_jurisdiction_is_explained_in_one_line(chat, conversation):
    """A prefecture answered by a regional office says whose jurisdiction it is."""
    answer = chat.reply(conversation, "特許 宮城")
    assert answer.reasons == (J(("宮城県",), "", "東北経済産業局", "管轄"),)


@pytest.mark.parametrize("question, reasons", [
    ("特許 北陸", (J(("富山県", "石川県"), "", "中部経済産業局", "管轄"), J(("福井県",), "", "近畿経済産業局", "管轄"))),
    ("特許 東北", ()),
    ("東海で特許の相談", (J(("愛知県", "岐阜県", "三重県"), "", "中部経済産業局", "管轄"),  # most first
                   J(("静岡県",), "", "関東経済産業局", "管轄"))),
    ("中部で中小機構の相談", (J(("岐阜県", "静岡県", "愛知県"), "", "中小機構 中部本部", "担当地域"),)),  # the region's own office
])
def test_a_region_split_between_offices_says_which_prefectures_each_serves(chat, conversation, question, reasons):
    """北陸 is served by two 経済産業局: each one's prefectures are named; a region one office serves needs no line."""
    assert chat.reply(conversation, question).reasons == reasons


def test_long_input_is_cut_and_still_answered(chat, conversation):
    """20,000 characters are cut to a sane length; the answer says so and still finds the office."""
    answer = chat.reply(conversation, "二重ローン 宮城 " + "あ" * 20_000)
    assert answer.truncated
    assert "fukko-sodan-miyagi" in ids(answer)


def test_a_region_for_prefectural_offices_asks_which_of_its_prefectures(chat, conversation):
    """九州 with 事業承継 asks among the seven 九州 prefectures; 九州 with 特許 answers with the bureau."""
    answer = chat.reply(conversation, "事業承継 九州")
    assert answer.kind == A.CLARIFY
    assert [c.label for c in answer.choices] == ["福岡県", "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県"]
    assert ids(chat.reply(conversation, "熊本")) == ["hikitsugi-kumamoto"]
    assert "meti-kyushu-10" in ids(chat.reply(conversation + ":2", "九州で特許"))


def test_smaller_regions_narrow_the_choice(chat, conversation):
    """北関東 offers its three prefectures, not the whole of 関東."""
    answer = chat.reply(conversation, "北関東 組合")
    assert answer.kind == A.CLARIFY
    assert [c.label for c in answer.choices] == ["茨城県", "栃木県", "群馬県"]


def test_a_note_printed_twice_in_other_words_is_said_once(chat, conversation):
    """Two fund tables print ※…行っていません and ※…行っておりません: the reply says it once."""
    answer = chat.reply(conversation, "応援ファンド 岩手")
    assert len(answer.contacts) == 2
    assert sum(n.startswith("※現在新規のファンド組成") for n in answer.notes) == 1


def test_an_address_is_said_not_to_be_in_the_list(chat, conversation):
    """「住所は？」 after an answer: the list has no addresses, so the reply says so and gives the office again."""
    chat.reply(conversation, "福岡の再生支援協議会")
    answer = chat.reply(conversation, "住所は？")
    assert ids(answer) == ["saisei-fukuoka"] and answer.missing == Missing(Gap.ADDRESS)


def test_a_details_word_alone_without_a_previous_answer_is_not_answered(chat, conversation):
    """「電話番号は？」 as the first message has nothing to refer to: an honest fallback."""
    assert chat.reply(conversation, "電話番号は？").kind == A.FALLBACK


@pytest.mark.parametrize("question, first", [("京都市の中小企業支援", "city-support-kyoto"), ("千葉市の支援センター", "city-support-chiba"),
                                             ("神戸市の支援財団", "city-support-kobe")])
def test_a_citys_own_centre_comes_first(chat, conversation, question, first):
    """In a city with its own 支援センター, that centre is listed before the prefecture's."""
    assert ids(chat.reply(conversation, question))[0] == first


@pytest.mark.parametrize("reply", ["わからない", "全国", "20"])
def test_a_reply_that_is_not_understood_asks_again_with_the_same_choices(chat, conversation, reply):
    """「わからない」 to 「どちらの都道府県ですか？」 says the prefecture was not understood and asks again."""
    first = chat.reply(conversation, "特許")
    again = chat.reply(conversation, reply)
    assert again.kind == A.CLARIFY and again.choices == first.choices and again.missing == Missing(Gap.PLACE_NOT_READ)
    assert ids(chat.reply(conversation, "名古屋")) == ["meti-chubu-10"]  # the question is still open


def test_a_division_name_the_prefecture_does_not_have_offers_what_it_has(chat, conversation):
    """「鹿児島県の商工政策課」: no office of that name in 鹿児島; the reply says so and asks which office."""
    answer = chat.reply(conversation, "鹿児島県の商工政策課")
    assert answer.kind == A.CLARIFY and answer.missing == Missing(Gap.NAME_NOT_HERE) and answer.choices
    assert answer.place.prefectures == ("鹿児島",) and answer.asks == Ask.CATEGORY


@pytest.mark.parametrize("question, first", [("宮城で事業承継と資金繰りの相談", "hikitsugi-miyagi"),
                                             ("大阪の組合と再生支援", "chuokai-osaka")])
def test_with_two_topics_the_first_asked_comes_first(chat, conversation, question, first):
    """Offices for the topic named first lead the list."""
    assert ids(chat.reply(conversation, question))[0] == first


@pytest.mark.parametrize("question, expected, typed", [("ジェトル 福岡", "jetro-fukuoka", "ジェトル"),
                                                       ("ジェロト 福岡", "jetro-fukuoka", "ジェロト"),
                                                       ("ファンンド 高知", "fund-startup-kochi", "ファンンド"),
                                                       # one wrong kanji of another sound: Sudachi splits the non-word
                                                       ("事業承経 宮城", "hikitsugi-miyagi", "事業承経"),
                                                       ("事業照継 福岡", "hikitsugi-fukuoka", "事業照継"),
                                                       ("経営安定対策宝", "chusho-cho-06", "経営安定対策宝")])
def test_a_word_one_sound_off_is_read_as_the_topic_and_the_reply_says_so(chat, conversation, question, expected, typed):
    """A kana word one sound away from exactly one topic or office name, or a written one with one wrong kanji, is
    read as it, and the reply says how."""
    answer = chat.reply(conversation, question)
    assert expected in ids(answer) and answer.corrections and answer.corrections[0][0] == typed


@pytest.mark.parametrize("question", ["ジェット 福岡", "ラーメン 福岡", "アルバイト 大阪",
                                      "事業承認を受けたい 青森"])  # 承認 is a real word, not a slip for 承継
def test_words_that_are_not_one_sound_off_are_not_corrected(chat, conversation, question):
    """ジェット is two sounds from ジェトロ: no correction, an honest fallback."""
    answer = chat.reply(conversation, question)
    assert not answer.corrections and answer.kind == A.FALLBACK


def test_every_contact_is_found_by_its_own_name(chat, knowledge):
    """Asking for any of the 605 offices by name gives that office, the same number from another table, or for an
    organization's bare name one of its own offices."""
    from bot.core.index import strip_legal_form

    missed = []
    for i, c in enumerate(knowledge.contacts):
        answer = chat.reply(f"by-name-{i}", strip_legal_form(c.name, knowledge.legal_forms))
        shown_numbers = {p.number for x in answer.contacts for p in x.phones}
        same_org = not (c.department or c.division) and any(x.organization == c.organization for x in answer.contacts)
        if c not in answer.contacts and not ({p.number for p in c.phones} <= shown_numbers) and not same_org:
            missed.append((c.id, [x.id for x in answer.contacts]))
    assert missed == []


@pytest.mark.parametrize("question, expected", [("千葉県 商工労働部 経営支援課", {"pref-sme-chiba", "kakushin-chiba"}),
                                                ("青森県 商工労働部 経営支援課", {"kakushin-aomori"})])
def test_a_division_named_in_full_is_that_prefectures_wherever_it_is_listed(chat, conversation, question, expected):
    """The same division printed in two tables (with two numbers) is shown from both; another prefecture's longer
    name match does not hide the one asked about."""
    assert set(ids(chat.reply(conversation, question))) == expected


def test_no_answer_ever_gives_an_office_of_another_prefecture(chat, knowledge):
    """「<県>で<話題>の相談」 for every prefecture and every topic: each office shown serves that prefecture, unless the
    answer says it offers the same region's instead."""
    wrong = []
    for p in knowledge.prefectures:
        for intent in knowledge.intents:
            if not intent.targets:
                continue
            answer = chat.reply(f"sweep-{p.short}-{intent.id}", f"{p.name}で{intent.keywords[0]}の相談")
            if answer.kind == A.CONTACTS and not answer.nearby:
                wrong += [(p.short, intent.id, c.id) for c in answer.contacts if p.short not in knowledge.prefectures_served(c)]
    assert wrong == []


# (table, what its offices are called in a question (None: any), sentences with {p} for the place)
EVERY_PREFECTURE = [
    ("hikitsugi", None, ["{p}で後継者がいなくて困っています。相談先を教えてください", "{p}で事業を第三者に譲りたい"]),
    ("saisei", None, ["{p}で経営が苦しく、借入金の返済計画を見直したい", "{p}で会社を立て直したい"]),
    ("chuokai", None, ["{p}で同業者と協同組合をつくりたい"]),
    ("support_center", None, ["{p}でこれから起業したいので相談したい", "{p}のよろず支援拠点はどこ"]),
    ("keiei_kakushin", None, ["{p}で経営革新計画の承認を受けたい"]),
    ("pref_sme_division", None, ["{p}の県庁で中小企業を担当している課"]),
    ("meti_bureau", "特許", ["{p}の会社です。商標を登録したい"]),
    ("smrj_new_business", None, ["{p}で地域資源を活用した商品開発をしたい"]),
    ("smrj_consulting", None, ["{p}で専門家を派遣してほしい"]),
]


@pytest.mark.parametrize("table, called, sentences", EVERY_PREFECTURE, ids=[t[0] for t in EVERY_PREFECTURE])
def test_every_prefecture_gets_its_own_office_however_it_is_written(chat, knowledge, table, called, sentences):
    """Each sentence, with the place as 宮城県, 宮城 or みやぎ, answers with that prefecture's own office of the table
    (or the regional office serving it) for all 47 prefectures that have one."""
    missed = []
    for p in knowledge.prefectures:
        own = {c.id for c in knowledge.contacts_in(table) if c.serves.kind != "nationwide"
               and p.short in knowledge.prefectures_served(c) and (called is None or called in c.name)}
        if not own:
            continue
        for sentence in sentences:
            for written in (p.name, p.short, p.kana):
                question = sentence.format(p=written)
                answer = chat.reply(f"every-{question}", question)
                if not own & set(ids(answer)):
                    missed.append((question, ids(answer)))
    assert missed == []


@pytest.mark.parametrize("question, expected", [
    ("中小企業庁の技術・経営革新課", "chusho-cho"),  # not 広島県 経営革新課, though that name matches better
    ("中小企業庁の小規模企業振興課", "chusho-cho"),  # not 和歌山県 企業振興課
])
def test_an_organization_named_in_full_keeps_the_answer_to_its_offices(chat, conversation, question, expected):
    """「中小企業庁の…課」 answers with 中小企業庁's divisions, never another organization's division of a similar name."""
    answer = chat.reply(conversation, question)
    assert answer.contacts and all(c.id.startswith(expected) for c in answer.contacts), ids(answer)


def test_one_office_listed_in_several_tables_with_one_number_is_shown_once(chat, conversation):
    """中小機構 沖縄事務所 is printed in three tables with the same number: the answer shows it once."""
    answer = chat.reply(conversation, "中小機構 沖縄事務所")
    assert [c.name for c in answer.contacts] == ["中小機構 沖縄事務所"]


@pytest.mark.parametrize("question, expected", [
    ("経営革新計画の担当課 青森", ["kakushin-aomori"]),  # 担当課 is the division in charge of the topic asked about
    ("担当課 青森", ["pref-sme-aomori"]),  # …and on its own, the prefecture's SME division
])
def test_the_division_in_charge_is_the_one_of_the_topic_asked_about(chat, conversation, question, expected):
    """「〜の担当課」 names the division in charge of that topic, not the prefecture's SME division as well."""
    assert ids(chat.reply(conversation, question)) == expected


@pytest.mark.parametrize("question, expected", [("商店街の活性化 和歌山", ["national-shotengai"]),
                                                ("商工会に入りたい 鳥取", ["national-shokokai"]),
                                                ("商工会議所 島根", ["national-jcci"]),
                                                ("地域資源を活かしたい 福井", ["shinjigyo-hokuriku-2"])])  # words of the table's title too
def test_a_word_of_one_rows_name_singles_it_out_of_its_table(chat, conversation, question, expected):
    """Among the 全国団体, 商店街 / 商工会 / 商工会議所 each pick the one body whose name says it."""
    assert ids(chat.reply(conversation, question)) == expected


def test_the_name_of_a_table_does_not_single_out_one_of_its_rows(chat, conversation):
    """「政府系金融機関」 lists the lenders: 金融 in the table's name does not pick 日本政策金融公庫 alone."""
    answer = chat.reply(conversation, "政府系金融機関 青森")
    assert {"finance-jfc", "finance-shokochukin"} <= set(ids(answer))


def test_the_word_for_being_in_charge_names_no_division(chat, conversation):
    """「…を担当している課」: 担当 does not pick 電子・情報担当参事官, whose name happens to contain it."""
    answer = chat.reply(conversation, "中国経済産業局で経営革新を担当している課")
    assert "meti-chugoku-08" not in ids(answer)


def test_offices_of_several_prefectures_come_in_the_order_asked(chat, conversation):
    """「福島と山形は？」 lists 福島's office before 山形's, though the source lists 山形 first."""
    answer = ask(chat, conversation, "組合 宮城", "福島と山形は？")
    assert ids(answer) == ["chuokai-fukushima", "chuokai-yamagata"]


def test_the_next_offices_come_on_asking_for_more(chat, conversation):
    """「ほかには？」 after 「ほかに10件あります」 shows the next five, then the last five, then says there are none."""
    first = chat.reply(conversation, "中小企業庁")
    second = chat.reply(conversation, "ほかには？")
    third = chat.reply(conversation, "続きは？")
    assert (len(first.contacts), first.more, len(second.contacts), second.more, len(third.contacts), third.more) == (5, 10, 5, 5, 5, 0)
    assert len({c.id for a in (first, second, third) for c in a.contacts}) == 15  # every division once
    last = chat.reply(conversation, "ほかには？")
    assert last.kind == A.FALLBACK and last.missing == Missing(Gap.NO_MORE)


def test_asking_for_more_with_nothing_before_is_not_understood(chat, conversation):
    """「ほかには？」 as the first message is an ordinary question we cannot answer."""
    answer = chat.reply(conversation, "ほかには？")
    assert answer.kind == A.FALLBACK and not answer.missing


def test_several_numbers_are_each_looked_up_and_an_unknown_one_is_said_so(chat, conversation):
    """「03-3501-1511と03-3501-1669」: 1669 is 取引課's; 1511 is said to be missing, never named as 取引課's."""
    answer = chat.reply(conversation, "03-3501-1511と03-3501-1669")
    assert ids(answer) == ["chusho-cho-10"]
    assert answer.number == "03-3501-1669" and answer.missing == Missing(Gap.NUMBERS, where=("03-3501-1511",))
    both = chat.reply(conversation, "03-3501-1669と022-722-3858")
    assert ids(both) == ["chusho-cho-10", "fukko-sodan-miyagi"] and both.number == ""


@pytest.mark.parametrize("text", ["すみません、ちょっと聞きたいんですが", "教えてください"])
def test_a_message_that_asks_nothing_yet_gets_an_invitation_to_ask(chat, conversation, text):
    """Only polite words, nothing asked yet: say what the bot does and how to ask, not that nothing was found."""
    assert chat.reply(conversation, text).kind == A.GREETING


@pytest.mark.parametrize("question", [
    "宮城で相談したいのですが、どちらに連絡すればよろしいでしょうか",
    "宮城で経営について相談したいと思っております",
    "宮城で相談に乗ってくれる人を探しています",
    "宮城で経営のことを相談できるとこある？",
    "宮城で相談可能な窓口",
    "宮城で相談できる窓口を教えていただけますか",
    "来週、宮城で相談できますか",  # days, amounts and sizes say nothing about the topic either
    "年商1億円の会社です。宮城で相談",
])
def test_a_vague_consultation_in_polite_or_casual_words_is_still_a_consultation(chat, conversation, question):
    """However politely or casually 「宮城で相談したい」 is put, it gets 宮城's 支援センター, not 「分かりませんでした」."""
    assert ids(chat.reply(conversation, question)) == ["support-miyagi"]


@pytest.mark.parametrize("business", ["飲食店", "美容室", "建設業", "旅館", "ホテル", "農業", "印刷会社", "酒蔵", "介護事業", "保育園"])
def test_the_users_line_of_business_does_not_make_a_vague_question_unknown(chat, conversation, business):
    """「宮城で飲食店を経営しています。相談したい」: the business says who is asking, and 相談 is still a consultation."""
    answer = chat.reply(conversation, f"宮城で{business}を経営しています。相談したい")
    assert ids(answer) == ["support-miyagi"]


@pytest.mark.parametrize("trouble", ["経営が不安です", "将来が心配です", "客が減っています", "人手が足りません", "先行きが見えない",
                                     "コロナの影響で", "物価高で苦しい"])
def test_a_business_in_trouble_asking_for_advice_gets_the_support_centre(chat, conversation, trouble):
    """「宮城の会社です。経営が不安です。相談したい」 and the like are general management consultations."""
    assert ids(chat.reply(conversation, f"宮城の会社です。{trouble}。相談したい")) == ["support-miyagi"]


def test_a_region_named_after_an_office_gets_that_office_alone(chat, conversation):
    """「中部で中小機構の相談」 is 中小機構 中部本部's: no national office is added for the rest of the 中部 region."""
    assert ids(chat.reply(conversation, "中部で中小機構の相談")) == ["smrj-chubu"]


def test_several_topics_are_named_apart(chat, conversation):
    """Two topics in one answer are joined with 、, since their own names already use ・."""
    assert chat.reply(conversation, "特許と輸出の相談 福岡").topic == ("特許・知的財産", "輸出・海外展開（ジェトロ）")


def test_an_organization_whose_own_row_has_no_number_shows_its_divisions_too(chat, conversation):
    """九州経済産業局's own row has no number in the list: the answer adds its first divisions, which do."""
    answer = chat.reply(conversation, "経産局 九州")
    assert ids(answer)[0] == "meti-kyushu-00" and len(answer.contacts) == 5 and all(c.phones for c in answer.contacts[1:])
    assert ids(chat.reply(conversation + "-tohoku", "東北経済産業局")) == ["meti-tohoku-00"]  # one with a 代表 number stays alone


@pytest.mark.parametrize("question, expected", [("高知で海外に商品を売りたい", {"jetro-kochi"}),
                                                ("鳥取で出資してくれるファンド", {"fund-challenge-tottori"})])
def test_plain_words_for_a_topic_do_not_add_a_second_one(chat, conversation, question, expected):
    """Selling abroad is ジェトロ's, not also 販路開拓's; investment funds are not every fund."""
    assert set(ids(chat.reply(conversation, question))) == expected


@pytest.mark.parametrize("question, first", [("商工会議所 全国", "national-jcci"), ("全国の商工会議所", "national-jcci"),
                                             ("中小企業団体中央会 全国", "national-chuokai"),
                                             ("組合の全国組織", "national-chuokai"),
                                             ("全国の商店街の団体", "national-shotengai")])
def test_nationwide_asks_for_the_nationwide_office(chat, conversation, question, first):
    """全国 says where (everywhere): the nationwide office, without asking which prefecture, and it is not a word
    of a name (商工会議所 全国 is 日本商工会議所, not 全国商工会連合会)."""
    answer = chat.reply(conversation, question)
    assert answer.kind == A.CONTACTS and ids(answer)[0] == first


def test_nationwide_answers_which_prefecture_when_the_topic_has_a_nationwide_office(chat, conversation):
    """「全国」 in answer to 「どちらの都道府県ですか？」 gives the nationwide office (中央会 has one; 特許 does not,
    see test_a_reply_that_is_not_understood_asks_again_with_the_same_choices)."""
    assert chat.reply(conversation, "中央会の電話番号").kind == A.CLARIFY
    assert ids(chat.reply(conversation, "全国")) == ["national-chuokai"]


def test_nationwide_is_not_the_place_of_the_last_answer(chat, conversation):
    """「中央会 全国」 right after an answer about 宮城 asks for the nationwide office, not 宮城's."""
    chat.reply(conversation, "二重ローン 宮城")
    answer = chat.reply(conversation, "中央会 全国")
    assert ids(answer) == ["national-chuokai"] and not answer.carried_place


@pytest.mark.parametrize("question, expected", [
    ("仙台と札幌の支援センター", ["city-support-sendai", "support-miyagi", "city-support-sapporo", "support-hokkaido"]),
    ("横浜と川崎で経営相談", ["city-support-yokohama", "city-support-kawasaki", "support-kanagawa"]),
])
def test_every_city_named_gets_its_own_centre(chat, conversation, question, expected):
    """Two cities in one question: each city's own centre, each before its prefecture's, and both named in the reply."""
    answer = chat.reply(conversation, question)
    assert ids(answer) == expected
    assert answer.place.label == "・".join(answer.place.cities) and len(answer.place.cities) == 2


def test_a_url_the_list_does_not_have_is_said_to_be_missing(chat, conversation):
    """「URLは？」 after an office without one says the list has none (and shows its number); where the list has a URL
    nothing is said missing; ホームページ inside a topic (ホームページを作りたい) asks for no URL."""
    chat.reply(conversation, "ファンド 山梨")
    assert chat.reply(conversation, "URLは？").missing == Missing(Gap.URL)
    assert chat.reply(conversation + ":2", "中小企業庁 金融課のURL").missing is None
    assert chat.reply(conversation + ":3", "ホームページを作りたい 大阪").missing is None


def test_a_topic_with_no_regional_office_for_the_place_says_the_nationwide_one_answers(chat, conversation):
    """研究開発 広島: 中国経済産業局 has no 産業技術課 in the list; the reply says so before the nationwide office. Not for
    a topic whose first office is nationwide anyway (下請 → 中小企業庁 取引課)."""
    answer = chat.reply(conversation, "研究開発の支援 広島")
    assert ids(answer) == ["chusho-cho-14"] and answer.missing == Missing(Gap.NO_REGIONAL_OFFICE, subject=("技術・研究開発",))
    assert chat.reply(conversation + ":2", "下請 東京").missing is None


def test_china_alone_with_a_prefectural_topic_asks_which_prefecture_of_the_chugoku_region(chat, conversation):
    """中国で事業承継: 中国地方 (a Japanese business's succession), so the five prefectures of the region are offered;
    中国に輸出したい is the country: every prefecture may ask."""
    answer = chat.reply(conversation, "中国で事業承継")
    assert answer.kind == A.CLARIFY and [c.label for c in answer.choices] == ["鳥取県", "島根県", "岡山県", "広島県", "山口県"]
    assert len(chat.reply(conversation + ":export", "中国に輸出したい").choices) > 5
