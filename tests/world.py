"""A small, hand-made chapter for rule tests: every person and company has a clear role."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from chapterdesk.domain.actors import Actor
from chapterdesk.domain.enums import ExcludedKind, JobRole, Membership, OrgCategory, Role
from chapterdesk.paths import prepare_data_dir
from chapterdesk.services.desk import local_leader
from chapterdesk.store.database import Store, open_store
from chapterdesk.store.models import Chapter, Community, Meeting, Organisation, Person


@dataclass
class World:
    store: Store
    chapter: str
    meeting: str  # next week, 10 places, partners welcome
    customers_only: str
    exclusive: str
    people: dict[str, str] = field(default_factory=dict)  # first name → person id
    leader: Actor = field(default_factory=local_leader)

    def volunteer(self) -> Actor:
        """A volunteer assigned to every meeting of the world."""
        meetings = frozenset({self.meeting, self.customers_only, self.exclusive})
        return Actor(
            "vol-1",
            "Val Volunteer",
            Role.VOLUNTEER,
            frozenset({self.chapter}),
            meeting_ids=meetings,
        )


def build_world(folder: Path, capacity: int = 10) -> World:
    store = open_store(prepare_data_dir(folder))
    now = datetime.now().replace(microsecond=0)
    with store.session() as s:
        community = Community(code="AXUG", name="AXUG")
        s.add(community)
        s.flush()
        chapter = Chapter(community_id=community.id, name="Ottawa")
        s.add(chapter)
        s.flush()
        orgs = {
            "City": Organisation(
                chapter_id=chapter.id, name="City of Ottawa", category=OrgCategory.CUSTOMER
            ),
            "Fabrikam": Organisation(
                chapter_id=chapter.id, name="Fabrikam Manufacturing", category=OrgCategory.CUSTOMER
            ),
            "Contoso": Organisation(
                chapter_id=chapter.id, name="Contoso Consulting", category=OrgCategory.PARTNER
            ),
            "Northwind": Organisation(
                chapter_id=chapter.id,
                name="Northwind Dynamics",
                category=OrgCategory.PARTNER,
                uses_dynamics=True,
            ),
            "Microsoft": Organisation(
                chapter_id=chapter.id, name="Microsoft", category=OrgCategory.MICROSOFT
            ),
            "Recruit": Organisation(
                chapter_id=chapter.id,
                name="Pinnacle Talent",
                category=OrgCategory.PARTNER,
                excluded_kind=ExcludedKind.RECRUITER,
            ),
        }
        s.add_all(orgs.values())
        s.flush()
        people = {
            # customers
            "Ann": ("Ann", "Lee", "City", Membership.MEMBER, JobRole.FUNCTIONAL),
            "Bob": ("Bob", "Roy", "City", Membership.PROSPECT, JobRole.TECHNICAL),
            "Cleo": ("Cléo", "Dubé", "Fabrikam", Membership.MEMBER, JobRole.TECHNICAL),
            # partners
            "Pat": ("Pat", "Quinn", "Contoso", Membership.NONE, JobRole.TECHNICAL),
            "Pia": ("Pia", "Moss", "Contoso", Membership.NONE, JobRole.FUNCTIONAL),
            "Pete": ("Pete", "Vance", "Contoso", Membership.NONE, JobRole.TECHNICAL),
            "Nora": ("Nora", "Ng", "Northwind", Membership.NONE, JobRole.TECHNICAL),
            "Sam": ("Sam", "Sell", "Northwind", Membership.NONE, JobRole.SALES),
            "Hunter": ("Hunter", "Headley", "Recruit", Membership.NONE, JobRole.OTHER),
            # microsoft
            "Mia": ("Mia", "Soft", "Microsoft", Membership.NONE, JobRole.TECHNICAL),
        }
        ids = {}
        for key, (first, last, org, membership, role) in people.items():
            person = Person(
                chapter_id=chapter.id,
                organisation_id=orgs[org].id,
                first_name=first,
                last_name=last,
                membership=membership,
                job_role=role,
                email=f"{key.lower()}@example.org",
            )
            s.add(person)
            s.flush()
            ids[key] = person.id

        def meeting(title: str, **kw: object) -> str:
            m = Meeting(
                chapter_id=chapter.id,
                title=title,
                starts_at=now + timedelta(days=7),
                ends_at=now + timedelta(days=7, hours=2),
                venue="City Hall",
                capacity=capacity,
                **kw,
            )
            s.add(m)
            s.flush()
            return m.id

        w = World(
            store,
            chapter.id,
            meeting("Year-end close", partners_welcome=True),
            meeting("Customers talk budgets"),
            meeting("Partner Advisory Group", partner_exclusive=True),
            ids,
        )
    return w
