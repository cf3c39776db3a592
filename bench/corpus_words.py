"""The words the benchmark's corpus is made of (bench/generate.py): real names of states,
organizations and people, outlets, and the templates of summaries, quotes and rationales whose
blanks the generator fills, so that full-text search matches some claims and not others as it
would on real data."""


def words(text):
    return text.split()


STATES = [
    "United States", "Russia", "China", "Ukraine", "Germany", "France", "United Kingdom", "Poland",
    "Turkey", "Iran", "Israel", "India", "Pakistan", "Japan", "North Korea", "South Korea", "Belarus",
    "Georgia", "Lithuania", "Latvia", "Estonia", "Finland", "Sweden", "Norway", "Canada", "Mexico",
    "Brazil", "Syria", "Iraq", "Saudi Arabia", "Egypt", "Libya", "Serbia", "Hungary", "Romania",
    "Bulgaria", "Moldova", "Armenia", "Azerbaijan", "Kazakhstan", "Uzbekistan", "Afghanistan",
    "Venezuela", "Cuba", "Qatar", "Jordan", "Lebanon", "Yemen", "Ethiopia", "Sudan", "Nigeria",
    "South Africa", "Australia", "Indonesia", "Vietnam", "Philippines", "Taiwan", "Italy", "Spain",
    "Netherlands",
]  # fmt: skip


INTERNATIONAL = [
    "NATO", "European Union", "OSCE", "United Nations", "IAEA", "Collective Security Treaty Organization",
    "African Union", "Arab League", "Council of Europe", "European Commission", "UN Security Council",
    "Shanghai Cooperation Organisation", "G7", "International Criminal Court", "OPCW",
]  # fmt: skip


INSTITUTE_KINDS = ["Institute for", "Centre for", "Council on", "Foundation for", "Office of"]


INSTITUTE_SUBJECTS = [
    "Strategic Studies", "Arms Control", "Security Policy", "International Affairs", "Nuclear Policy",
    "Defence Analysis", "Peace Research", "Energy Security", "Eurasian Studies", "Non-Proliferation",
]  # fmt: skip


FIRST_NAMES = words("""
Sergei Mike Maria Josep Dmitri Alexander Antony Jens Lloyd Sergey Vladimir Olaf Emmanuel
Boris Rishi Ursula Kaja Wang Zhao Hua Li Xi Annalena Heiko Frank Mark Jake Ned Ben Victoria Wendy
Rose Marshall Anatoly Mikhail Nikolai Yuri Andrei Alexei Igor Oleg Pavel Viktor Grigory Ivan Petro
Volodymyr Dmytro Olena Iryna Andriy Mateusz Andrzej Radoslaw Zbigniew Gitanas Edgars Kersti Sanna
Magdalena Ulf Jonas Justin Chrystia Melanie Hassan Javad Hossein Ali Mohammad Benjamin Yair Naftali
Narendra Subrahmanyam Imran Shehbaz Fumio Yoshimasa Kim Moon Yoon Svetlana Lukas Recep Mevlut Hakan
Aleksandar Peter Klaus Nicolas Jean-Yves Catherine Theresa Liz Dominic James Robert John William
Richard Thomas Charles Daniel Matthew Anthony Donald Steven Paul Andrew Joshua Kenneth Kevin Brian
George Timothy Ronald Edward Jason Jeffrey Ryan Jacob Gary Nancy Karen Betty Helen Sandra Donna Carol
Ruth Sharon Michelle Laura Sarah Kimberly Deborah Jessica Shirley Cynthia Angela Melissa Brenda Amy
Anna Rebecca Virginia Kathleen Pamela Martha Debra Amanda""")


LAST_NAMES = words("""
Ryabkov Pompeo Zakharova Borrell Grushko Lavrov Blinken Stoltenberg Austin Shoigu Putin
Scholz Macron Johnson Sunak Leyen Kallas Yi Lijian Chunying Baerbock Maas Kellogg Sullivan Price
Patel Nuland Sherman Gottemoeller Billingslea Antonov Ulyanov Trenin Karaganov Lukyanov Kortunov
Peskov Medvedev Nebenzya Polyanskiy Kuleba Reznikov Zelensky Yermak Podolyak Morawiecki Duda Sikorski
Landsbergis Rinkevics Reinsalu Marin Haavisto Kristersson Trudeau Joly Rouhani Zarif Amir-Abdollahian
Raisi Netanyahu Lapid Bennett Modi Jaishankar Khan Sharif Kishida Hayashi Jong-un Jae-in Suk-yeol
Erdogan Cavusoglu Fidan Vucic Orban Szijjarto Sandu Pashinyan Aliyev Tokayev Smith Jones Williams
Brown Taylor Davies Evans Wilson Thomas Roberts Walker Wright Thompson White Hughes Edwards Green Hall
Wood Harris Lewis Martin Jackson Clarke Clark Turner Hill Scott Cooper Morris Ward Moore King Watson
Baker Harrison Morgan Young Allen Mitchell James Anderson Phillips Lee Bell Parker Davis Ivanov
Smirnov Kuznetsov Popov Vasiliev Petrov Sokolov Mikhailov Novikov Fedorov Morozov Volkov Alekseev
Lebedev Semenov Egorov Pavlov Kozlov Stepanov Nikolaev Orlov Andreev Makarov Nikitin Zakharov Zaitsev
Solovyov Borisov Yakovlev Grigoriev Romanov Vorobiev Sergeev Kuzmin Frolov Aleksandrov Dmitriev
Korolev Gusev Kiselev Ilyin Maksimov Polyakov Sorokin Vinogradov Kovalev Belov Tarasov Zhukov
Baranov Filippov Komarov Davydov Belyaev Gerasimov Bogdanov Osipov Sidorov Matveev Titov Markov
Mironov Krylov Kulikov Karpov Vlasov Melnikov Denisov Gavrilov Tikhonov Kazakov Afanasiev Danilov
Savelyev Timofeev Fomin Chernov Abramov Martynov Efimov Fedotov Shcherbakov Nazarov Kalinin Isaev
Chernyshev Bykov Maslov Rodionov Konovalov Lazarev Voronin Klimov Filatov Ponomarev Golubev
Kudryavtsev Prokhorov Naumov Potapov Zhuravlev Ovchinnikov Trofimov Leonov Sobolev Ermakov""")


ROLES = [
    "Deputy Foreign Minister", "Foreign Minister", "Defence Minister", "Ministry spokesperson",
    "Secretary of State", "Ambassador to the United Nations", "Ambassador to NATO", "Senator",
    "Member of parliament", "Chief of the General Staff", "National Security Adviser", "President",
    "Prime Minister", "Special envoy for arms control", "Head of the delegation to the talks",
    "Senior analyst", "Director of the institute", "Press secretary",
    "Chair of the foreign affairs committee",
    "Permanent representative to the OSCE", "Under Secretary for Arms Control",
]  # fmt: skip


OUTLETS = [
    ("Reuters", "reuters.com"), ("Associated Press", "apnews.com"), ("TASS", "tass.com"),
    ("Xinhua", "xinhuanet.com"), ("RIA Novosti", "ria.ru"), ("Interfax", "interfax.com"),
    ("BBC News", "bbc.co.uk"), ("The Guardian", "theguardian.com"), ("The New York Times", "nytimes.com"),
    ("The Washington Post", "washingtonpost.com"), ("Deutsche Welle", "dw.com"), ("Le Monde", "lemonde.fr"),
    ("Kommersant", "kommersant.ru"), ("Izvestia", "iz.ru"), ("Al Jazeera", "aljazeera.com"),
    ("Kyiv Independent", "kyivindependent.com"), ("Ukrainska Pravda", "pravda.com.ua"),
    ("Meduza", "meduza.io"), ("Politico", "politico.eu"), ("Financial Times", "ft.com"),
    ("Arms Control Today", "armscontrol.org"), ("Defense News", "defensenews.com"),
    ("CCTV", "cctv.com"), ("Global Times", "globaltimes.cn"), ("Anadolu Agency", "aa.com.tr"),
    ("Yonhap", "yna.co.kr"), ("Kyodo News", "kyodonews.net"), ("Agence France-Presse", "afp.com"),
    ("US Department of State", "state.gov"), ("Russian Ministry of Foreign Affairs", "mid.ru"),
    ("NATO press office", "nato.int"), ("Kremlin press service", "kremlin.ru"),
]  # fmt: skip


LANGUAGES = ["en", "en", "en", "ru", "zh", "fr", "de", "uk", "tr", "ko"]


REGIONS = [
    "Baltic", "Arctic", "Black Sea", "Caspian", "Pacific", "Atlantic", "Mediterranean", "Balkan", "Caucasus",
    "Nordic", "Danube", "Korean", "Kuril", "Syrian", "Libyan", "Sahel", "Persian Gulf", "Red Sea", "Adriatic",
    "Carpathian", "Siberian", "Eurasian", "Transatlantic", "Central Asian", "Eastern European", "Aegean",
    "Barents", "Bering", "Yellow Sea", "Indo-Pacific", "Hormuz", "Kaliningrad", "Donbas", "Crimean",
    "Suwalki", "Dnipro", "Azov", "Moldovan", "Armenian", "Andean", "Sinai", "Cyprus", "Himalayan",
]  # fmt: skip


SUBJECTS = [
    "Missile", "Airspace", "Naval", "Nuclear", "Chemical Weapons", "Arms Export", "Energy", "Gas Transit",
    "Grain Export", "Border", "Cyber", "Satellite", "Election", "Sanctions", "Refugee", "Prisoner Exchange",
    "Ceasefire", "Observation Flight", "Troop Withdrawal", "Hypersonic", "Drone", "Mine Clearance",
    "Pipeline", "Fisheries", "Shipping", "Inspection", "Enrichment", "Test Ban", "Space", "Data Exchange",
]  # fmt: skip


INSTRUMENTS = ["Treaty", "Agreement", "Accord", "Talks", "Protocol", "Memorandum", "Initiative", "Dispute"]


REAL_TOPICS = [
    ("Open Skies Treaty", ""), ("INF Treaty", "Guidance Treaty\nMid-Range Missile Treaty"),
    ("New START", "START III"), ("CFE Treaty", "Conventional Armed Forces in Europe Treaty"),
    ("JCPOA", "Iran nuclear deal"), ("Minsk Agreements", "Minsk II"), ("Nord Stream 2", ""),
    ("Black Sea Grain Initiative", "grain deal"), ("Budapest Memorandum", ""),
    ("Comprehensive Nuclear-Test-Ban Treaty", "CTBT"), ("Chemical Weapons Convention", "CWC"),
    ("Vienna Document", ""), ("Treaty on the Non-Proliferation of Nuclear Weapons", "NPT"),
]  # fmt: skip


GERUNDS = [
    "deploying", "testing", "concealing", "stockpiling", "restricting", "blocking", "expanding",
    "modernising", "moving", "flying", "building", "financing", "supplying", "jamming", "hiding",
    "developing", "stationing", "smuggling", "operating", "sabotaging", "obstructing", "limiting",
]  # fmt: skip


OBJECTS = [
    "ground-launched cruise missiles", "observation flights", "hypersonic weapons",
    "intermediate-range missiles",
    "air defence systems", "naval drills", "nuclear warheads", "inspection teams", "reconnaissance drones",
    "chemical weapons", "tactical nuclear weapons", "missile launchers", "gas deliveries", "grain shipments",
    "military satellites", "border troops", "military advisers", "mercenaries", "enrichment centrifuges",
    "submarine patrols", "strategic bombers", "armoured brigades", "radar stations",
    "biological laboratories",
    "cyber attacks", "anti-satellite tests", "artillery shells", "combat aircraft", "heavy weapons",
    "warships", "mobile launchers", "uranium stocks", "data on missile tests", "air patrols",
]  # fmt: skip


PLACES = [
    "near the border", "in Kaliningrad", "over the Baltic Sea", "in the Black Sea", "in the Arctic",
    "in Crimea", "near Minsk", "in eastern Europe", "in Syria", "on the Korean Peninsula",
    "in the South China Sea", "in Romania", "in Poland", "in Alaska", "over Abkhazia", "in the Donbas",
    "near the Suwalki gap", "in the Barents Sea", "off the coast of Norway", "in Transnistria",
    "in the Persian Gulf", "in Libya", "in the Sahel", "in Central Asia", "at the Zaporizhzhia plant",
    "in Belarus", "across the Taiwan Strait", "in the Mediterranean", "over the Aegean", "in Armenia",
]  # fmt: skip


ADJECTIVES = [
    "groundless", "serious", "flagrant", "deliberate", "unacceptable", "baseless", "dangerous",
    "provocative", "unprecedented", "systematic", "outrageous", "regrettable", "absurd", "clear",
    "documented", "repeated", "reckless", "irresponsible", "transparent", "verifiable", "hostile",
]  # fmt: skip


NOUNS = [
    "security", "stability", "peace", "sovereignty", "trust", "transparency", "verification",
    "deterrence", "dialogue", "escalation", "disarmament", "confidence", "cooperation", "compliance",
    "aggression", "propaganda", "provocation", "diplomacy", "neutrality", "balance of power",
]  # fmt: skip


QUOTE_TEMPLATES = [
    "We have clear evidence that they are {gerund} {object} {place}.",
    "{state} will never accept {object} {place}.",
    "This is a {adjective} violation of the {topic}.",
    "Our partners know perfectly well that {object} {place} threaten European {noun}.",
    "There is no truth in these {adjective} claims about {object}.",
    "The {topic} no longer serves the interests of {state}.",
    "We are ready to discuss {object} at the next round of talks.",
    "These accusations are {adjective} and politically motivated.",
    "{state} has always complied with its obligations under the {topic}.",
    "Any attempt at {gerund} {object} {place} would be a grave mistake.",
    "The facts speak for themselves: {object} were seen {place}.",
    "It is {state} that has been {gerund} {object} for years.",
    "We call on all parties to restore {noun} and return to {noun}.",
    "Without {noun} there can be no {noun}, and without verification there is no {topic}.",
    "Satellite images show {object} {place}, which is {adjective}.",
    "Nobody has shown us a single piece of evidence about {object}.",
    "The inspectors were denied access to {object} {place}.",
    "We will respond with {adjective} measures if {object} appear {place}.",
]  # fmt: skip


RATIONALE_TEMPLATES = [
    "Denied by the accused; the cited sources give no evidence either way.",
    "{outlet} reports the claim but cites no evidence for it.",
    "Satellite imagery published by {outlet} shows {object} {place}.",
    "The treaty's own inspection reports contradict it.",
    "Both governments later confirmed {object} {place}.",
    "Only the speaker's statement supports it; independent reporting by {outlet} disputes it.",
    "An inspection team confirmed the presence of {object} {place}.",
    "The accused admitted {gerund} {object}, according to {outlet}.",
    "Independent analysts found no trace of {object} {place}.",
    "Contested by the accused; {outlet} quotes officials on both sides.",
]  # fmt: skip


STATUS_WEIGHTS = {  # evidence status: share of published claims
    "unreviewed": 45, "unsubstantiated": 12, "disputed": 18, "supported": 12, "confirmed": 5,
    "contradicted": 8,
}  # fmt: skip


KIND_WEIGHTS = {
    "accusation": 25, "denial": 8, "counter_accusation": 7, "assertion": 25, "position": 22, "assessment": 13,
}  # fmt: skip


SUMMARY_TEMPLATES = {
    "accusation": [
        "{speaker} accused {target} of {gerund} {object} {place}, in breach of the {topic}.",
        "{speaker} said {target} was {gerund} {object} {place} in violation of the {topic}.",
    ],
    "denial": [
        "{speaker} denied that {target} had evidence of {object} {place}.",
        "{speaker} rejected as {adjective} the accusation by {target} of {gerund} {object}.",
    ],
    "counter_accusation": [
        "{speaker} said {target} was itself {gerund} {object} {place} and undermining the {topic}.",
    ],
    "assertion": [
        "{speaker} said {state} would keep {gerund} {object} {place}.",
        "{speaker} said {object} {place} posed a {adjective} threat to {noun}.",
    ],
    "position": [
        "{speaker} said {state} remains committed to the {topic}.",
        "{speaker} said {state} would withdraw from the {topic} unless {target} stopped {gerund} {object}.",
    ],
    "assessment": [
        "{speaker} assessed that the {topic} could not survive {object} {place}.",
        "{speaker} judged the reports of {object} {place} {adjective}.",
    ],
}
