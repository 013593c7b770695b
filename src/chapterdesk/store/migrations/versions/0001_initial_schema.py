"""initial schema

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-22 04:10:29.495969
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "communities",
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("updated_at", sa.String(length=64), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_communities")),
        sa.UniqueConstraint("code", name=op.f("uq_communities_code")),
    )
    op.create_table(
        "local_state",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_local_state")),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("device_seq", sa.Integer(), nullable=False),
        sa.Column("chapter_id", sa.String(length=36), nullable=False),
        sa.Column("entity", sa.String(length=64), nullable=False),
        sa.Column("entity_id", sa.String(length=36), nullable=False),
        sa.Column("patch", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("sent_at", sa.String(length=32), nullable=True),
        sa.Column("result", sa.String(length=32), nullable=True),
        sa.Column("result_detail", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("device_seq", name=op.f("uq_outbox_device_seq")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_chapter_id"), ["chapter_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_sent_at"), ["sent_at"], unique=False)

    op.create_table(
        "chapters",
        sa.Column("community_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("region", sa.String(length=200), nullable=False),
        sa.Column("max_partner_attendees", sa.Integer(), nullable=False),
        sa.Column("max_escorted_companies", sa.Integer(), nullable=False),
        sa.Column("idle_lock_minutes", sa.Integer(), nullable=False),
        sa.Column("retention_months", sa.Integer(), nullable=False),
        sa.Column("template_sha256", sa.String(length=64), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("updated_at", sa.String(length=64), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"], ["communities.id"], name=op.f("fk_chapters_community_id_communities")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chapters")),
    )
    with op.batch_alter_table("chapters", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_chapters_community_id"), ["community_id"], unique=False
        )

    op.create_table(
        "audit_events",
        sa.Column("at", sa.String(length=32), nullable=False),
        sa.Column("actor_id", sa.String(length=36), nullable=False),
        sa.Column("actor_name", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("entity", sa.String(length=64), nullable=False),
        sa.Column("entity_id", sa.String(length=36), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("chapter_id", sa.String(length=36), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("updated_at", sa.String(length=64), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["chapter_id"], ["chapters.id"], name=op.f("fk_audit_events_chapter_id_chapters")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_audit_events_chapter_id"), ["chapter_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_audit_events_chapter_id_at"), ["chapter_id", "at"], unique=False
        )

    op.create_table(
        "meetings",
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=False),
        sa.Column("venue", sa.String(length=200), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("partners_welcome", sa.Boolean(), nullable=False),
        sa.Column("partner_exclusive", sa.Boolean(), nullable=False),
        sa.Column("cancelled", sa.Boolean(), nullable=False),
        sa.Column("agenda", sa.Text(), nullable=False),
        sa.Column("chapter_id", sa.String(length=36), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("updated_at", sa.String(length=64), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["chapter_id"], ["chapters.id"], name=op.f("fk_meetings_chapter_id_chapters")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
    )
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meetings_chapter_id"), ["chapter_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_meetings_chapter_id_starts_at"),
            ["chapter_id", "starts_at"],
            unique=False,
        )

    op.create_table(
        "organisations",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "category",
            sa.Enum(
                "customer", "partner", "microsoft", name="orgcategory", native_enum=False, length=32
            ),
            nullable=False,
        ),
        sa.Column("uses_dynamics", sa.Boolean(), nullable=False),
        sa.Column(
            "excluded_kind",
            sa.Enum(
                "recruiter",
                "competing_vendor",
                "licence_only_reseller",
                "unrelated",
                name="excludedkind",
                native_enum=False,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("website", sa.String(length=200), nullable=False),
        sa.Column("chapter_id", sa.String(length=36), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("updated_at", sa.String(length=64), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["chapter_id"], ["chapters.id"], name=op.f("fk_organisations_chapter_id_chapters")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisations")),
    )
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_organisations_chapter_id"), ["chapter_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_organisations_chapter_id_name"), ["chapter_id", "name"], unique=False
        )

    op.create_table(
        "partner_applications",
        sa.Column("organisation_id", sa.String(length=36), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("implementation", "isv", name="partnerkind", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "submitted",
                "under_review",
                "information_requested",
                "approved",
                "rejected",
                "admitted",
                "revoked",
                name="applicationstatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("submitted_at", sa.String(length=32), nullable=False),
        sa.Column("fee_paid_on", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("chapter_id", sa.String(length=36), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("updated_at", sa.String(length=64), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["chapter_id"],
            ["chapters.id"],
            name=op.f("fk_partner_applications_chapter_id_chapters"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_partner_applications_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_applications")),
    )
    with op.batch_alter_table("partner_applications", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_partner_applications_chapter_id"), ["chapter_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_partner_applications_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "partner_profiles",
        sa.Column("organisation_id", sa.String(length=36), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("implementation", "isv", name="partnerkind", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("mspp_certified", sa.Boolean(), nullable=False),
        sa.Column("cfmd_certified", sa.Boolean(), nullable=False),
        sa.Column("certified_consultants", sa.Integer(), nullable=False),
        sa.Column("annual_chapter_sponsor_year", sa.Integer(), nullable=True),
        sa.Column("code_of_conduct_signed_on", sa.Date(), nullable=True),
        sa.Column("chapter_id", sa.String(length=36), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("updated_at", sa.String(length=64), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["chapter_id"], ["chapters.id"], name=op.f("fk_partner_profiles_chapter_id_chapters")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_partner_profiles_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_profiles")),
        sa.UniqueConstraint("organisation_id", name=op.f("uq_partner_profiles_organisation_id")),
    )
    with op.batch_alter_table("partner_profiles", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_partner_profiles_chapter_id"), ["chapter_id"], unique=False
        )

    op.create_table(
        "people",
        sa.Column("organisation_id", sa.String(length=36), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("job_title", sa.String(length=200), nullable=False),
        sa.Column(
            "job_role",
            sa.Enum(
                "technical",
                "functional",
                "sales",
                "management",
                "other",
                name="jobrole",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "membership",
            sa.Enum("member", "prospect", "none", name="membership", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("member_since", sa.Date(), nullable=True),
        sa.Column("renewal_date", sa.Date(), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("phone", sa.String(length=50), nullable=False),
        sa.Column("consent_email", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("search_text", sa.String(length=600), nullable=False),
        sa.Column("chapter_id", sa.String(length=36), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("updated_at", sa.String(length=64), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["chapter_id"], ["chapters.id"], name=op.f("fk_people_chapter_id_chapters")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_people_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
    )
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_people_chapter_id"), ["chapter_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_people_chapter_id_last_name_first_name"),
            ["chapter_id", "last_name", "first_name"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_people_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "presentation_slots",
        sa.Column("meeting_id", sa.String(length=36), nullable=False),
        sa.Column("topic", sa.String(length=300), nullable=False),
        sa.Column("partner_organisation_id", sa.String(length=36), nullable=False),
        sa.Column("speaker_person_id", sa.String(length=36), nullable=True),
        sa.Column("requested_by", sa.String(length=36), nullable=False),
        sa.Column("handouts_approved", sa.Boolean(), nullable=False),
        sa.Column("chapter_id", sa.String(length=36), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("updated_at", sa.String(length=64), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["chapter_id"], ["chapters.id"], name=op.f("fk_presentation_slots_chapter_id_chapters")
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], name=op.f("fk_presentation_slots_meeting_id_meetings")
        ),
        sa.ForeignKeyConstraint(
            ["partner_organisation_id"],
            ["organisations.id"],
            name=op.f("fk_presentation_slots_partner_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["speaker_person_id"],
            ["people.id"],
            name=op.f("fk_presentation_slots_speaker_person_id_people"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_presentation_slots")),
    )
    with op.batch_alter_table("presentation_slots", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_presentation_slots_chapter_id"), ["chapter_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_presentation_slots_meeting_id"), ["meeting_id"], unique=False
        )

    op.create_table(
        "registrations",
        sa.Column("meeting_id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("organisation_id", sa.String(length=36), nullable=False),
        sa.Column(
            "category",
            sa.Enum(
                "customer", "partner", "microsoft", name="orgcategory", native_enum=False, length=32
            ),
            nullable=False,
        ),
        sa.Column(
            "role",
            sa.Enum(
                "attendee",
                "speaker",
                "organiser",
                name="registrationrole",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "registered",
                "waitlisted",
                "pending_approval",
                "escort_needed",
                "cancelled",
                name="registrationstatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("escort_registration_id", sa.String(length=36), nullable=True),
        sa.Column("company_slot", sa.Integer(), nullable=True),
        sa.Column("waitlist_position", sa.Integer(), nullable=True),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("registered_at", sa.String(length=32), nullable=False),
        sa.Column("approved_by", sa.String(length=36), nullable=True),
        sa.Column("chapter_id", sa.String(length=36), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("updated_at", sa.String(length=64), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["chapter_id"], ["chapters.id"], name=op.f("fk_registrations_chapter_id_chapters")
        ),
        sa.ForeignKeyConstraint(
            ["escort_registration_id"],
            ["registrations.id"],
            name=op.f("fk_registrations_escort_registration_id_registrations"),
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], name=op.f("fk_registrations_meeting_id_meetings")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_registrations_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_registrations_person_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registrations")),
        sa.UniqueConstraint("code", name=op.f("uq_registrations_code")),
        sa.UniqueConstraint(
            "meeting_id", "person_id", name=op.f("uq_registrations_meeting_id_person_id")
        ),
    )
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_registrations_chapter_id"), ["chapter_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_registrations_escort_registration_id"),
            ["escort_registration_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_registrations_meeting_id_status"), ["meeting_id", "status"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_registrations_person_id"), ["person_id"], unique=False)

    op.create_table(
        "check_in_events",
        sa.Column("registration_id", sa.String(length=36), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("in", "out", "undo", name="checkinkind", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("undoes_event_id", sa.String(length=36), nullable=True),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("hlc", sa.String(length=64), nullable=False),
        sa.Column("actor_id", sa.String(length=36), nullable=False),
        sa.Column("at", sa.String(length=32), nullable=False),
        sa.Column("chapter_id", sa.String(length=36), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("updated_at", sa.String(length=64), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["chapter_id"], ["chapters.id"], name=op.f("fk_check_in_events_chapter_id_chapters")
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registrations.id"],
            name=op.f("fk_check_in_events_registration_id_registrations"),
        ),
        sa.ForeignKeyConstraint(
            ["undoes_event_id"],
            ["check_in_events.id"],
            name=op.f("fk_check_in_events_undoes_event_id_check_in_events"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_check_in_events")),
    )
    with op.batch_alter_table("check_in_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_check_in_events_chapter_id"), ["chapter_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_check_in_events_registration_id"), ["registration_id"], unique=False
        )

    op.create_table(
        "deck_versions",
        sa.Column("slot_id", sa.String(length=36), nullable=False),
        sa.Column("filename", sa.String(length=300), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_at", sa.String(length=32), nullable=False),
        sa.Column(
            "decision",
            sa.Enum(
                "pending",
                "approved",
                "changes_requested",
                "rejected",
                name="deckdecision",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("decided_by", sa.String(length=36), nullable=True),
        sa.Column("decided_at", sa.String(length=32), nullable=True),
        sa.Column("decision_comment", sa.Text(), nullable=False),
        sa.Column("chapter_id", sa.String(length=36), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("updated_at", sa.String(length=64), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["chapter_id"], ["chapters.id"], name=op.f("fk_deck_versions_chapter_id_chapters")
        ),
        sa.ForeignKeyConstraint(
            ["slot_id"],
            ["presentation_slots.id"],
            name=op.f("fk_deck_versions_slot_id_presentation_slots"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deck_versions")),
        sa.UniqueConstraint("slot_id", "sha256", name=op.f("uq_deck_versions_slot_id_sha256")),
    )
    with op.batch_alter_table("deck_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_deck_versions_chapter_id"), ["chapter_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_deck_versions_slot_id"), ["slot_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("deck_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deck_versions_slot_id"))
        batch_op.drop_index(batch_op.f("ix_deck_versions_chapter_id"))

    op.drop_table("deck_versions")
    with op.batch_alter_table("check_in_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_check_in_events_registration_id"))
        batch_op.drop_index(batch_op.f("ix_check_in_events_chapter_id"))

    op.drop_table("check_in_events")
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_registrations_person_id"))
        batch_op.drop_index(batch_op.f("ix_registrations_meeting_id_status"))
        batch_op.drop_index(batch_op.f("ix_registrations_escort_registration_id"))
        batch_op.drop_index(batch_op.f("ix_registrations_chapter_id"))

    op.drop_table("registrations")
    with op.batch_alter_table("presentation_slots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_presentation_slots_meeting_id"))
        batch_op.drop_index(batch_op.f("ix_presentation_slots_chapter_id"))

    op.drop_table("presentation_slots")
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_people_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_people_chapter_id_last_name_first_name"))
        batch_op.drop_index(batch_op.f("ix_people_chapter_id"))

    op.drop_table("people")
    with op.batch_alter_table("partner_profiles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_partner_profiles_chapter_id"))

    op.drop_table("partner_profiles")
    with op.batch_alter_table("partner_applications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_partner_applications_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_partner_applications_chapter_id"))

    op.drop_table("partner_applications")
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisations_chapter_id_name"))
        batch_op.drop_index(batch_op.f("ix_organisations_chapter_id"))

    op.drop_table("organisations")
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meetings_chapter_id_starts_at"))
        batch_op.drop_index(batch_op.f("ix_meetings_chapter_id"))

    op.drop_table("meetings")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_events_chapter_id_at"))
        batch_op.drop_index(batch_op.f("ix_audit_events_chapter_id"))

    op.drop_table("audit_events")
    with op.batch_alter_table("chapters", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_chapters_community_id"))

    op.drop_table("chapters")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_sent_at"))
        batch_op.drop_index(batch_op.f("ix_outbox_chapter_id"))

    op.drop_table("outbox")
    op.drop_table("local_state")
    op.drop_table("communities")
