"""ORG rules: what an organisation's category and exclusion mean for its people."""

from __future__ import annotations

from dataclasses import dataclass

from chapterdesk.domain.enums import ExcludedKind, Membership, OrgCategory
from chapterdesk.domain.violations import RuleViolation
from chapterdesk.i18n import _

EXCLUDED_KIND_LABELS: dict[ExcludedKind, str] = {
    ExcludedKind.RECRUITER: "recruiter or staffing firm",
    ExcludedKind.COMPETING_VENDOR: "competing ERP/CRM vendor or its channel",
    ExcludedKind.LICENCE_ONLY_RESELLER: "licence-only reseller with no services",
    ExcludedKind.UNRELATED: "business unrelated to Dynamics",
}


@dataclass(frozen=True)
class OrgFacts:
    """What the rules need to know about an organisation."""

    name: str
    category: OrgCategory
    uses_dynamics: bool = False
    excluded_kind: ExcludedKind | None = None


def person_category(org: OrgFacts) -> OrgCategory:
    """ORG-1 / ORG-2: a person's category is their organisation's; a partner that also uses
    Dynamics internally stays a partner."""
    return org.category


def check_membership(org: OrgFacts, membership: Membership) -> None:
    """ORG-3 / ORG-5: only customer people are members or prospects."""
    if org.category is OrgCategory.CUSTOMER:
        if membership is Membership.NONE:
            raise RuleViolation(
                "ORG-5",
                _("A customer person must be a member or a prospect."),
                _("Mark them as a member if their membership is current, otherwise as a prospect."),
            )
        return
    if membership is not Membership.NONE:
        raise RuleViolation(
            "ORG-3",
            _(
                "{org} is a {category} organisation; its people cannot hold customer memberships."
            ).format(org=org.name, category=org.category.value),
            _("Leave the membership empty, or move the person to their customer organisation."),
        )


def check_may_take_part_as_partner(org: OrgFacts) -> None:
    """ORG-4: excluded kinds never attend or present as partners."""
    if org.excluded_kind is not None:
        raise RuleViolation(
            "ORG-4",
            _("{org} is a {kind}; such organisations cannot take part as partners.").format(
                org=org.name, kind=_(EXCLUDED_KIND_LABELS[org.excluded_kind])
            ),
            _(
                "Do not register its people as partners. If the organisation was marked excluded "
                "by mistake, correct it on the People page first."
            ),
        )
