"""Word lists for the demo data: people, companies, cities, venues and meeting topics.

Names come from many cultures and keep their accents (Zoë, Łukasz, Siobhán, Nguyễn, Yılmaz …)
so that search, sorting, badges and exports meet real-world names from the first run.
The four planted "rule problem" surnames (Solberg, Headley, Strand, Bailey) are deliberately
absent here, so those people are unique in every demo database.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from chapterdesk.domain import communities
from chapterdesk.domain.enums import JobRole

# --- people -------------------------------------------------------------------------------

FIRST_NAMES: dict[str, tuple[str, ...]] = {
    "en": (
        "James", "Mary", "Robert", "Jennifer", "Michael", "Linda", "David", "Susan", "Sarah",
        "Emily", "Daniel", "Jessica", "Matthew", "Ashley", "Andrew", "Megan", "Kevin", "Laura",
        "Brian", "Rachel", "Chris", "Karen", "Jason", "Heather", "Tyler", "Zoë", "Chloë",
        "Renée", "Noël", "Brooke", "Grant", "Wendy", "Derek", "Tanya", "Olivia", "Ethan",
    ),
    "fr": (
        "Jean-François", "Geneviève", "Éric", "Hélène", "Stéphane", "Mélanie", "François",
        "Josée", "Benoît", "Chloé", "Élise", "Sébastien", "Amélie", "Mathieu", "Isabelle",
        "Julien", "Anaïs", "Jérôme", "Maëlle", "René", "Noémie", "Frédéric", "Gaël", "Léa",
    ),
    "de": (
        "Jürgen", "Björn", "Lukas", "Anja", "Jörg", "Sören", "Günter", "Katrin", "Matthias",
        "Stefanie", "Ursula", "Reto", "Beat", "Corinne", "Dominik", "Fabienne", "Urs", "Nadja",
        "Andrea", "Sabine",
    ),
    "nl": (
        "Anouk", "Daan", "Sanne", "Bram", "Femke", "Joost", "Lieke", "Maarten", "Roos", "Thijs",
        "Inge", "Sjoerd", "Marloes", "Willem", "Eline", "Joris", "Noor", "Pieter",
    ),
    "es": (
        "José", "María", "Ángel", "Lucía", "Andrés", "Sofía", "Joaquín", "Inés", "João",
        "Conceição", "Gonçalo", "Débora", "Raúl", "Mónica", "Tomás", "Beatriz", "Martín",
        "Paula",
    ),
    "pl": (
        "Łukasz", "Małgorzata", "Paweł", "Agnieszka", "Wojciech", "Zofia", "Krzysztof",
        "Katarzyna", "Michał", "Jiří", "Tomáš", "Zuzana", "Ondřej", "Kateřina", "Dragan",
        "Milica",
    ),
    "ga": (
        "Siobhán", "Seán", "Aoife", "Niamh", "Ciarán", "Róisín", "Pádraig", "Eoin", "Caoimhe",
        "Declan", "Orla", "Saoirse", "Diarmuid", "Máire",
    ),
    "vi": (
        "Minh", "Thảo", "Huy", "Lan", "Phương", "Quang", "Trâm", "Đức", "Hương", "Tuấn", "Linh",
        "Bảo",
    ),
    "in": (
        "Priya", "Rahul", "Ananya", "Vikram", "Deepa", "Arjun", "Sanjay", "Kavya", "Rohit",
        "Neha", "Aditya", "Lakshmi", "Suresh", "Pooja",
    ),
    "ea": (
        "Wei", "Li Na", "Jun", "Mei", "Hao", "Xin", "Yuki", "Haruto", "Ji-woo", "Min-jun",
        "Seo-yeon", "Hiroshi", "Aiko", "Chen",
    ),
    "no": (
        "Søren", "Astrid", "Bjørn", "Ingrid", "Sigrún", "Åsa", "Magnús", "Freya", "Lars",
        "Kjersti", "Þórunn", "Henrik", "Elin",
    ),
    "tr": (
        "Ahmed", "Fatima", "Omar", "Layla", "Youssef", "Amira", "Karim", "Nour", "Zeynep",
        "Emre", "Ayşe", "Mehmet", "Çağla", "Gökhan", "Işıl",
    ),
}  # fmt: skip

LAST_NAMES: dict[str, tuple[str, ...]] = {
    "en": (
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson",
        "Anderson", "Taylor", "Thomas", "Moore", "Martin", "Thompson", "White", "Harris",
        "Clark", "Lewis", "Walker", "Hall", "Young", "King", "Wright", "Scott", "Green", "Baker",
        "Adams", "Campbell", "MacDonald", "Fraser", "Stewart", "Robinson",
    ),
    "fr": (
        "Tremblay", "Gagnon", "Côté", "Bouchard", "Gauthier", "Lévesque", "Bélanger",
        "Pelletier", "Bérubé", "Fortin", "Lefèvre", "Dubé", "Gagné", "Ouellet", "Paré",
        "Thériault", "Boucher", "Mercier", "Désilets", "Beaulieu", "Lemaître",
    ),
    "de": (
        "Müller", "Schmid", "Meier", "Keller", "Weber", "Huber", "Schneider", "Brunner",
        "Baumann", "Frei", "Zürcher", "Gerber", "Bühler", "Märki", "Schär", "Wüthrich",
        "Krüger", "Groß", "Weiß", "Fäh",
    ),
    "nl": (
        "de Vries", "van den Berg", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer",
        "Mulder", "de Jong", "van Dijk", "Hendriks", "Dekker", "van der Linden", "Koster",
        "Brouwer", "IJzerman",
    ),
    "es": (
        "García", "Rodríguez", "Hernández", "López", "Martínez", "González", "Pérez",
        "Sánchez", "Gómez", "Díaz", "Muñoz", "Álvarez", "Romero", "Ibáñez", "Gonçalves",
        "Magalhães", "Araújo", "Peña", "Núñez",
    ),
    "pl": (
        "Kowalski", "Nowak", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski",
        "Zieliński", "Szymański", "Woźniak", "Dąbrowski", "Dvořák", "Novák", "Černý",
        "Procházka", "Kovačević", "Petrović", "Đorđević",
    ),
    "ga": (
        "O'Brien", "O'Sullivan", "Murphy", "Kelly", "Ó Súilleabháin", "McCarthy", "O'Neill",
        "Byrne", "Fitzgerald", "Doherty", "Ó Ceallaigh", "MacNeil", "Gallagher",
    ),
    "vi": (
        "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
        "Dương",
    ),
    "in": (
        "Patel", "Sharma", "Singh", "Gupta", "Iyer", "Reddy", "Nair", "Krishnan", "Menon",
        "Desai", "Mehta", "Rao", "Banerjee", "Chatterjee",
    ),
    "ea": (
        "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Tanaka",
        "Sato", "Kim", "Park", "Lee", "Choi",
    ),
    "no": (
        "Hansen", "Johansson", "Sørensen", "Lindqvist", "Ødegaard", "Håkansson", "Løvås",
        "Nilsson", "Berg", "Jónsdóttir", "Gunnarsson", "Ström",
    ),
    "tr": (
        "Haddad", "Khalil", "Mansour", "Saleh", "Nasser", "El-Amin", "Yılmaz", "Kaya", "Demir",
        "Şahin", "Çelik", "Öztürk", "Aydın", "Doğan",
    ),
}  # fmt: skip

CULTURES: tuple[str, ...] = tuple(FIRST_NAMES)

# North American default mix; chapters override the cultures they are known for.
DEFAULT_CULTURE_WEIGHTS: dict[str, float] = {
    "en": 50, "fr": 5, "de": 3, "nl": 2, "es": 8, "pl": 5, "ga": 7, "vi": 4, "in": 8,
    "ea": 6, "no": 2, "tr": 4,
}  # fmt: skip

# (job title, role): customers are the people who run Dynamics day to day.
CUSTOMER_TITLES: tuple[tuple[str, JobRole, float], ...] = (
    ("Controller", JobRole.MANAGEMENT, 6),
    ("Chief Financial Officer", JobRole.MANAGEMENT, 2),
    ("Accounting Manager", JobRole.MANAGEMENT, 5),
    ("Accounts Payable Specialist", JobRole.FUNCTIONAL, 6),
    ("Senior Accountant", JobRole.FUNCTIONAL, 7),
    ("Payroll Administrator", JobRole.FUNCTIONAL, 4),
    ("Supply Chain Manager", JobRole.MANAGEMENT, 4),
    ("Purchasing Agent", JobRole.FUNCTIONAL, 4),
    ("Warehouse Supervisor", JobRole.FUNCTIONAL, 3),
    ("Production Planner", JobRole.FUNCTIONAL, 3),
    ("Inventory Control Specialist", JobRole.FUNCTIONAL, 3),
    ("ERP Administrator", JobRole.TECHNICAL, 6),
    ("Dynamics System Administrator", JobRole.TECHNICAL, 5),
    ("CRM Administrator", JobRole.TECHNICAL, 3),
    ("IT Director", JobRole.MANAGEMENT, 4),
    ("Business Analyst", JobRole.FUNCTIONAL, 6),
    ("Financial Analyst", JobRole.FUNCTIONAL, 4),
    ("Power BI Developer", JobRole.TECHNICAL, 3),
    ("Database Administrator", JobRole.TECHNICAL, 2),
    ("Customer Service Manager", JobRole.MANAGEMENT, 2),
    ("Sales Operations Manager", JobRole.SALES, 2),
    ("Operations Manager", JobRole.MANAGEMENT, 3),
    ("Office Manager", JobRole.OTHER, 2),
    ("Marketing Coordinator", JobRole.OTHER, 1),
)

# Partners: mostly subject-matter experts, with the sales share MTG-4 scrutinises.
PARTNER_TITLES: tuple[tuple[str, JobRole, float], ...] = (
    ("Senior Functional Consultant", JobRole.FUNCTIONAL, 10),
    ("Finance Consultant", JobRole.FUNCTIONAL, 7),
    ("Supply Chain Consultant", JobRole.FUNCTIONAL, 5),
    ("Trainer", JobRole.FUNCTIONAL, 2),
    ("Solution Architect", JobRole.TECHNICAL, 6),
    ("Technical Consultant", JobRole.TECHNICAL, 6),
    ("Dynamics Developer", JobRole.TECHNICAL, 6),
    ("Power Platform Developer", JobRole.TECHNICAL, 4),
    ("Support Analyst", JobRole.TECHNICAL, 3),
    ("Project Manager", JobRole.MANAGEMENT, 5),
    ("Practice Director", JobRole.MANAGEMENT, 3),
    ("Managing Partner", JobRole.MANAGEMENT, 2),
    ("Account Executive", JobRole.SALES, 6),
    ("Business Development Manager", JobRole.SALES, 5),
    ("Pre-sales Solution Consultant", JobRole.SALES, 3),
    ("Marketing Manager", JobRole.OTHER, 2),
)

MICROSOFT_TITLES: tuple[tuple[str, JobRole, float], ...] = (
    ("Customer Success Account Manager", JobRole.MANAGEMENT, 4),
    ("Technical Specialist, Business Applications", JobRole.TECHNICAL, 4),
    ("Cloud Solution Architect", JobRole.TECHNICAL, 4),
    ("Partner Development Manager", JobRole.SALES, 3),
    ("Account Executive", JobRole.SALES, 2),
    ("Program Manager, Dynamics 365", JobRole.TECHNICAL, 2),
    ("Community Program Manager", JobRole.OTHER, 1),
)

RECRUITER_TITLES: tuple[tuple[str, JobRole, float], ...] = (
    ("Senior Technical Recruiter", JobRole.SALES, 3),
    ("Talent Acquisition Partner", JobRole.SALES, 2),
    ("Account Manager, Dynamics Placements", JobRole.SALES, 2),
)

VENDOR_TITLES: tuple[tuple[str, JobRole, float], ...] = (
    ("Regional Sales Director", JobRole.SALES, 2),
    ("Solutions Consultant", JobRole.TECHNICAL, 2),
    ("Territory Account Manager", JobRole.SALES, 2),
)

CUSTOMER_NOTES: tuple[str, ...] = (
    "On the chapter's Board of Advisors.",
    "Volunteers at the registration desk.",
    "Vegetarian meals, please.",
    "Spoke at last year's regional summit.",
    "Prefers a phone call to email.",
    "Interested in presenting a customer story.",
    "Needs wheelchair access at the venue.",
)

# --- organisations ------------------------------------------------------------------------

COMPANY_PREFIXES: tuple[str, ...] = (
    "Maple Leaf", "Summit", "Riverside", "Northern Star", "Pioneer", "Harbour", "Cedar",
    "Granite", "Bluewater", "Eagle", "Prairie", "Lakeshore", "Keystone", "Iron Horse",
    "Silver Birch", "Redwood", "Crescent", "Evergreen", "Beacon", "Cornerstone", "Sterling",
    "Meridian", "Falcon", "Aurora", "Timberline", "Oakridge", "Westfield", "Highland",
    "Canyon", "Coastal", "Frontier", "Heritage", "Liberty", "Northgate", "Pinecrest",
    "Quarry Hill", "Silverline", "Stonebridge", "Tri-County", "Valley", "Wildrose", "Zenith",
)  # fmt: skip

# (sector word pattern, kind) — "{p}" is a prefix; kinds are for the reader, not the schema.
CUSTOMER_SECTORS: tuple[str, ...] = (
    "{p} Manufacturing", "{p} Precision Parts", "{p} Plastics", "{p} Foods", "{p} Metalworks",
    "{p} Packaging", "{p} Distribution", "{p} Wholesale", "{p} Supply Co.", "{p} Logistics",
    "{p} General Hospital", "{p} Health Network", "{p} Children's Hospital",
    "{p} Credit Union", "{p} College", "{p} Insurance", "{p} Construction", "{p} Energy",
    "{p} Dairy Co-operative", "{p} Hotels", "{p} Retail Group", "{p} Housing Society",
    "{p} Engineering", "{p} Brewing", "{p} Pharmaceuticals", "{p} Furniture",
    "{p} Building Supply", "{p} Auto Parts", "{p} Seed & Feed", "{p} Water Authority",
)  # fmt: skip

# National partners with a local practice in every chapter (the home chapter's rule problems
# use the first two); then combinations of the names below.
ANCHOR_PARTNERS: tuple[tuple[str, bool], ...] = (  # (name, is ISV)
    ("Contoso Consulting", False),
    ("Northwind Dynamics Services", False),
    ("Fabrikam Business Solutions", False),
)

PARTNER_PREFIXES: tuple[str, ...] = (
    "Adventure Works", "Tailspin", "Wingtip", "Litware", "Proseware", "Alpine Ski House",
    "Coho", "Fourth Coffee", "Lucerne", "Trey", "Wide World", "Woodgrove", "Humongous",
    "Blue Yonder", "Southridge", "VanArsdel", "Relecloud", "Bluefin", "Catapult", "Sirius",
    "Velocity", "Nimbus", "Quantum", "Clearpath", "Brightside", "Ledgerline", "Keyfield",
    "Stratus", "Bridgewater", "Copperleaf",
)  # fmt: skip

IMPLEMENTATION_SUFFIXES: tuple[str, ...] = (
    "Consulting", "Dynamics Services", "Business Solutions", "Advisory", "Technology Group",
    "ERP Partners", "Cloud Solutions", "Systems", "Digital",
)  # fmt: skip

ISV_SUFFIXES: tuple[str, ...] = (
    "Software", "Labs", "Apps", "Analytics", "Payroll Software", "EDI Connect",
)  # fmt: skip

RECRUITER_NAME = "Pinnacle Dynamics Talent"
COMPETING_VENDOR_NAME = "Sagebrush Cloud ERP"

# --- meetings -----------------------------------------------------------------------------

MEETING_TITLES: dict[str, tuple[str, ...]] = {
    "AXUG": (
        "Year-end close in D365 F&SCM",
        "Warehouse management: wave templates that work",
        "Electronic reporting for tax authorities",
        "Upgrading from AX 2012: lessons learned",
        "Financial dimensions done right",
        "Power BI for Finance & Supply Chain",
        "Master planning with Planning Optimization",
        "One Version updates without the panic",
        "Vendor collaboration portal in practice",
        "Copilot in Finance: what works today",
        "Intercompany accounting across legal entities",
    ),
    "CRMUG": (
        "Dataverse security roles demystified",
        "Power Automate for sales teams",
        "Customer Insights – Journeys in practice",
        "Field Service scheduling tips",
        "Model-driven app design that users like",
        "Copilot in Sales: a user's view",
        "Data migration into Dataverse",
        "Omnichannel for Customer Service",
        "Duplicate detection and data quality",
        "Power Pages for customer self-service",
        "Reporting on Dataverse with Power BI",
    ),
    "GPUG": (
        "Power BI for GP users",
        "Year-end payroll in Dynamics GP",
        "Moving from GP to Business Central",
        "SmartList Designer tips and tricks",
        "Fixed Assets year-end close in GP",
        "GP security and audit trails",
        "Integrations with eConnect and SmartConnect",
        "Bank reconciliation in GP",
        "Financial reporting after Management Reporter",
        "GP end of support: planning your next step",
        "Project accounting in GP",
    ),
    "NAVUG": (
        "AL extensions for power users",
        "Upgrading NAV to Business Central online",
        "Jobs and project accounting in Business Central",
        "Warehouse receipts and put-aways in BC",
        "Power Automate with Business Central",
        "Copilot in Business Central",
        "Reporting with Excel layouts in BC",
        "Dimensions and analysis views",
        "Bank reconciliation with automatic matching",
        "Permission sets after the security model change",
        "Inventory costing: FIFO, average and adjustments",
    ),
}

PARTNER_EXCLUSIVE_TITLE = "Partner Advisory Group roundtable"

HOTEL_BRANDS: tuple[str, ...] = (
    "Marriott", "Hilton Garden Inn", "Delta Hotels", "Sheraton", "Novotel", "Hyatt Place",
)  # fmt: skip


@dataclass(frozen=True)
class CitySpec:
    """One chapter's city: what makes its rows look local."""

    name: str
    community: str
    region: str
    utc_offset_hours: int  # standard time; good enough for demo check-in instants
    phone_prefix: str  # fictional numbers ("555" in North America)
    streets: tuple[str, ...]
    local_prefixes: tuple[str, ...]
    legal_suffix: str
    microsoft_name: str
    culture_weights: dict[str, float] = field(default_factory=dict)


CITIES: tuple[CitySpec, ...] = (
    CitySpec("Ottawa", "AXUG", "Ontario, Canada", -5, "+1 613 555",
             ("Albert Street", "Queen Street", "Bank Street", "Carling Avenue"),
             ("Rideau", "Bytown", "Gatineau Hills", "Kanata"), "Inc.", "Microsoft Canada",
             {"en": 45, "fr": 20}),
    CitySpec("Toronto", "AXUG", "Ontario, Canada", -5, "+1 416 555",
             ("Bay Street", "King Street West", "Front Street", "Yonge Street"),
             ("Don Valley", "Humber", "Lakeshore", "Scarborough"), "Ltd.", "Microsoft Canada",
             {"in": 14, "ea": 12}),
    CitySpec("Montréal", "AXUG", "Québec, Canada", -5, "+1 514 555",
             ("rue Sainte-Catherine", "boulevard René-Lévesque", "rue Saint-Jacques",
              "avenue du Parc"),
             ("Mont-Royal", "Saint-Laurent", "Laval", "Côte-des-Neiges"), "inc.",
             "Microsoft Canada", {"fr": 55, "en": 20}),
    CitySpec("Boston", "AXUG", "Massachusetts, USA", -5, "+1 617 555",
             ("Boylston Street", "State Street", "Atlantic Avenue", "Summer Street"),
             ("Charles River", "Beacon Hill", "Back Bay", "Cambridge"), "LLC",
             "Microsoft Corporation", {"ga": 15}),
    CitySpec("Chicago", "CRMUG", "Illinois, USA", -6, "+1 312 555",
             ("Wacker Drive", "LaSalle Street", "Michigan Avenue", "Randolph Street"),
             ("Windy City", "Lake Michigan", "Wrigley", "Oak Park"), "Inc.",
             "Microsoft Corporation", {"pl": 15}),
    CitySpec("Minneapolis", "CRMUG", "Minnesota, USA", -6, "+1 612 555",
             ("Nicollet Mall", "Hennepin Avenue", "Washington Avenue", "Marquette Avenue"),
             ("Twin Cities", "Mississippi", "North Star", "Lake Harriet"), "LLC",
             "Microsoft Corporation", {"no": 12, "vi": 8}),
    CitySpec("Amsterdam", "CRMUG", "Noord-Holland, Netherlands", 1, "+31 20 555",
             ("Zuidas", "Herengracht", "Stationsplein", "Prinsengracht"),
             ("Amstel", "Zuiderzee", "Jordaan", "Schiphol"), "B.V.", "Microsoft Nederland B.V.",
             {"nl": 55, "en": 12, "tr": 8}),
    CitySpec("Dallas", "GPUG", "Texas, USA", -6, "+1 214 555",
             ("Elm Street", "McKinney Avenue", "Main Street", "Ross Avenue"),
             ("Lone Star", "Trinity River", "Big D", "Las Colinas"), "Inc.",
             "Microsoft Corporation", {"es": 20}),
    CitySpec("Atlanta", "GPUG", "Georgia, USA", -5, "+1 404 555",
             ("Peachtree Street", "Spring Street", "Piedmont Road", "West Paces Ferry"),
             ("Peachtree", "Chattahoochee", "Buckhead", "Magnolia"), "LLC",
             "Microsoft Corporation", {}),
    CitySpec("Phoenix", "GPUG", "Arizona, USA", -7, "+1 602 555",
             ("Central Avenue", "Camelback Road", "Van Buren Street", "Washington Street"),
             ("Saguaro", "Camelback", "Sonoran", "Desert Sky"), "Inc.", "Microsoft Corporation",
             {"es": 22}),
    CitySpec("Seattle", "NAVUG", "Washington, USA", -8, "+1 206 555",
             ("Pike Street", "Westlake Avenue", "Second Avenue", "Elliott Avenue"),
             ("Puget Sound", "Cascade", "Rainier", "Emerald City"), "LLC",
             "Microsoft Corporation", {"ea": 14, "vi": 8}),
    CitySpec("Zürich", "NAVUG", "Zürich, Switzerland", 1, "+41 44 555",
             ("Bahnhofstrasse", "Seefeldstrasse", "Hardturmstrasse", "Löwenstrasse"),
             ("Zürichsee", "Limmat", "Üetliberg", "Glattal"), "AG", "Microsoft Schweiz GmbH",
             {"de": 55, "en": 10, "pl": 6}),
)  # fmt: skip

HOME_CITY = "Ottawa"

COMMUNITIES = communities.COMMUNITIES
