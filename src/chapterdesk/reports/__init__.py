"""Printed and exported output: badges, sign-in sheets, rosters, review reports (PDF), CSV.

Qt-free and database-free on purpose: these functions take the plain dataclasses of the
services and write bytes, so they can run in a worker thread, in tests, or in a future server,
and can never print more than the service layer chose to hand over. Import the module you
need (``chapterdesk.reports.badges`` …): this package imports nothing, so a CSV export or the
start-up never pays for ReportLab.
"""
