"""Deterministic demo data: a realistic chapter world to try ChapterDesk on, and to test with."""

from __future__ import annotations

from chapterdesk.demo.generate import PLANTED_PEOPLE, DemoSummary, PlantedPerson, generate_demo

__all__ = ["PLANTED_PEOPLE", "DemoSummary", "PlantedPerson", "generate_demo"]
