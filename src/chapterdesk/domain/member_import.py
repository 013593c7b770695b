"""Members from the membership portal's export (issue 9): which column holds what, what each
row says, and which rows cannot be imported and why — before anything is written.

Pure: the service reads the file and the roster, this module decides. Every rejected row
names its row number (as the spreadsheet shows it), the rule and what is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from chapterdesk.domain.duplicates import email_key, name_key
from chapterdesk.domain.enums import Membership
from chapterdesk.domain.roster import EMAIL, PHONE
from chapterdesk.domain.text import fold
from chapterdesk.i18n import _

# What a column can be, in the order the preview offers them.
FIELDS: tuple[str, ...] = (
    "first_name",
    "last_name",
    "full_name",
    "email",
    "organisation",
    "phone",
    "job_title",
    "membership",
    "member_since",
    "renewal_date",
)
FIELD_WORDS = {
    "first_name": "First name",
    "last_name": "Last name",
    "full_name": "Full name",
    "email": "Email",
    "organisation": "Organisation",
    "phone": "Phone",
    "job_title": "Job title",
    "membership": "Membership",
    "member_since": "Member since",
    "renewal_date": "Renewal date",
}
# Header words portals use, folded, for each field.
_HEADERS: dict[str, tuple[str, ...]] = {
    "first_name": ("first name", "firstname", "given name", "first", "prenom"),
    "last_name": ("last name", "lastname", "surname", "family name", "last", "nom"),
    "full_name": ("name", "full name", "member name", "contact name", "contact"),
    "email": ("email", "e mail", "email address", "e mail address", "work email", "courriel"),
    "organisation": (
        "company",
        "organisation",
        "organization",
        "company name",
        "organization name",
        "employer",
        "account",
        "account name",
        "entreprise",
    ),
    "phone": ("phone", "telephone", "phone number", "work phone", "mobile", "business phone"),
    "job_title": ("title", "job title", "position", "role", "job role"),
    "membership": ("membership", "member type", "membership type", "status", "member status"),
    "member_since": ("member since", "join date", "joined", "date joined", "start date"),
    "renewal_date": (
        "renewal",
        "renewal date",
        "renews",
        "expires",
        "expiry",
        "expiration date",
        "expiry date",
        "paid through",
        "paid thru",
        "end date",
    ),
}
_PROSPECT_WORDS = {"prospect", "lead", "non member", "nonmember", "guest", "lapsed", "expired"}
_MEMBER_WORDS = {"member", "active", "current", "paid", "yes", "corporate", "individual"}
_NOT_WORD = re.compile(r"[^0-9a-z]+")
_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%Y/%m/%d", "%d.%m.%Y", "%d %b %Y", "%b %d, %Y")


def _words(text: str) -> str:
    return _NOT_WORD.sub(" ", fold(text)).strip()


def guess_mapping(headers: Sequence[str]) -> dict[int, str]:
    """Column → field for the headers a portal's export uses; each field once, at most."""
    mapping: dict[int, str] = {}
    taken: set[str] = set()
    for column, header in enumerate(headers):
        words = _words(header)
        for name, synonyms in _HEADERS.items():
            if name not in taken and words in synonyms:
                mapping[column] = name
                taken.add(name)
                break
    if {"first_name", "last_name"} <= taken and "full_name" in taken:
        mapping = {c: f for c, f in mapping.items() if f != "full_name"}
    return mapping


def mapping_problems(mapping: dict[int, str]) -> list[str]:
    """What the column choice lacks; the import cannot start until it is empty."""
    chosen = set(mapping.values())
    found = []
    if not ({"first_name", "last_name"} <= chosen or "full_name" in chosen):
        found.append(_("Choose the column(s) holding the names: first and last, or full name."))
    if "organisation" not in chosen:
        found.append(_("Choose the column holding the organisation: every person has one (ORG-1)."))
    repeated = sorted({f for f in chosen if list(mapping.values()).count(f) > 1})
    for name in repeated:
        found.append(_("{field} is chosen for two columns.").format(field=FIELD_WORDS[name]))
    return found


@dataclass(frozen=True, slots=True)
class ImportedPerson:
    row: int  # as the spreadsheet numbers it: the header is row 1
    first_name: str
    last_name: str
    organisation: str
    email: str = ""
    phone: str = ""
    job_title: str = ""
    membership: Membership = Membership.MEMBER
    member_since: date | None = None
    renewal_date: date | None = None

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True, slots=True)
class Rejected:
    row: int
    rule: str
    text: str
    values: tuple[str, ...] = ()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return " ".join(str(value).split())


def parse_date(value: object) -> date | None:
    """A date as portals write it: ISO, US month/day/year, day.month.year, an Excel date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _cell(value)
    if not text:
        return None
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def parse_membership(value: str) -> Membership | None:
    words = _words(value)
    if not words:
        return Membership.MEMBER  # an export of the membership portal lists members
    if words in _PROSPECT_WORDS:
        return Membership.PROSPECT
    if words in _MEMBER_WORDS or words.endswith(" member"):
        return Membership.MEMBER
    return None


def parse_row(
    number: int, values: Sequence[object], mapping: dict[int, str]
) -> ImportedPerson | Rejected:
    """One spreadsheet row, or why it cannot be imported."""
    raw = {name: values[c] if c < len(values) else None for c, name in mapping.items()}
    text = {name: _cell(v) for name, v in raw.items()}
    shown = tuple(_cell(v) for v in values)
    first, last = text.get("first_name", ""), text.get("last_name", "")
    if not (first or last) and text.get("full_name"):
        parts = text["full_name"].split(" ")
        if "," in text["full_name"]:  # "Lee, Ann"
            last, _sep, first = (p.strip() for p in text["full_name"].partition(","))
        elif len(parts) > 1:
            first, last = " ".join(parts[:-1]), parts[-1]
    if not first or not last:
        return Rejected(number, "ORG-1", _("A first and a last name are needed."), shown)
    organisation = text.get("organisation", "")
    if not organisation:
        return Rejected(number, "ORG-1", _("No organisation: every person belongs to one."), shown)
    email = text.get("email", "")
    if email and not EMAIL.fullmatch(email):
        return Rejected(
            number, "ROS-1", _("“{email}” is not an email address.").format(email=email), shown
        )
    phone = text.get("phone", "")
    if phone and not PHONE.fullmatch(phone):
        return Rejected(
            number, "ROS-1", _("“{phone}” is not a phone number.").format(phone=phone), shown
        )
    membership = parse_membership(text.get("membership", ""))
    if membership is None:
        return Rejected(
            number,
            "ORG-5",
            _("“{value}” is not a membership this import knows: use member or prospect.").format(
                value=text.get("membership", "")
            ),
            shown,
        )
    dates: dict[str, date | None] = {}
    for name in ("member_since", "renewal_date"):
        try:
            dates[name] = parse_date(raw.get(name))
        except ValueError:
            return Rejected(
                number,
                "ORG-5",
                _("“{value}” is not a date (use 2026-03-31 or 03/31/2026).").format(
                    value=text.get(name, "")
                ),
                shown,
            )
    if membership is not Membership.MEMBER:
        dates = {"member_since": None, "renewal_date": None}
    since, renewal = dates["member_since"], dates["renewal_date"]
    if since and renewal and renewal < since:
        return Rejected(
            number, "ORG-5", _("The renewal date is before the membership began."), shown
        )
    return ImportedPerson(
        row=number,
        first_name=first,
        last_name=last,
        organisation=organisation,
        email=email,
        phone=phone,
        job_title=text.get("job_title", ""),
        membership=membership,
        member_since=since,
        renewal_date=renewal,
    )


@dataclass(frozen=True, slots=True)
class KnownPerson:
    """Someone already on the roster, as the import compares them."""

    first_name: str
    last_name: str
    organisation: str
    email: str

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(slots=True)
class ImportPlan:
    people: list[ImportedPerson] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    already: list[Rejected] = field(default_factory=list)  # on the roster: left as they are
    new_organisations: list[str] = field(default_factory=list)


def plan_import(
    rows: Iterable[Sequence[object]],
    mapping: dict[int, str],
    roster: Iterable[KnownPerson],
    organisations: dict[str, tuple[str, bool]],
    *,
    first_row: int = 2,
) -> ImportPlan:
    """Every row parsed and checked against the file itself and the roster.

    ``organisations`` maps a folded organisation name to (its name, whether its people may hold
    a customer membership). Someone already on the roster (same email, or same name at the
    same organisation) is left as they are; a row repeating an earlier row is rejected."""
    plan = ImportPlan()
    known_people = list(roster)
    by_email = {email_key(p.email): p for p in known_people if p.email}
    by_name = {(name_key(p.first_name, p.last_name), fold(p.organisation)): p for p in known_people}
    seen_email: dict[str, int] = {}
    seen_name: dict[tuple[str, str], int] = {}
    new: dict[str, str] = {}
    for offset, values in enumerate(rows):
        number = first_row + offset
        if not any(_cell(v) for v in values):
            continue  # a blank line in the export
        parsed = parse_row(number, values, mapping)
        if isinstance(parsed, Rejected):
            plan.rejected.append(parsed)
            continue
        org_key = fold(parsed.organisation)
        name = (name_key(parsed.first_name, parsed.last_name), org_key)
        email = email_key(parsed.email)
        shown = tuple(_cell(v) for v in values)
        known = by_email.get(email) if email else None
        known = known or by_name.get(name)
        if known is not None:
            plan.already.append(
                Rejected(
                    number,
                    "ORG-1",
                    _("Already on the roster as {name} ({org}): left as it is.").format(
                        name=known.name, org=known.organisation
                    ),
                    shown,
                )
            )
            continue
        earlier = seen_email.get(email) if email else None
        earlier = earlier or seen_name.get(name)
        if earlier is not None:
            plan.rejected.append(
                Rejected(
                    number,
                    "ORG-1",
                    _("The same person as row {row}: imported once.").format(row=earlier),
                    shown,
                )
            )
            continue
        existing = organisations.get(org_key)
        if existing is not None and not existing[1] and parsed.membership is not Membership.NONE:
            plan.rejected.append(
                Rejected(
                    number,
                    "ORG-3",
                    _(
                        "{org} is not a customer organisation: its people hold no membership."
                    ).format(org=existing[0]),
                    shown,
                )
            )
            continue
        if existing is None and org_key not in new:
            new[org_key] = parsed.organisation
        if email:
            seen_email[email] = number
        seen_name[name] = number
        plan.people.append(parsed)
    plan.new_organisations = sorted(new.values(), key=fold)
    return plan
