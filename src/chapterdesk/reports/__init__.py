"""Printed output of the check-in desk: name badges and sign-in sheets as PDF.

Qt-free and database-free on purpose: these functions take the plain dataclasses of
:mod:`chapterdesk.services.views` and write bytes, so they can run in a worker thread, in tests,
or in a future server, and can never print more than the service layer chose to hand over.
"""

from chapterdesk.reports.badges import A6, AVERY_5392, LabelStock, badge_pdf, badges_pdf
from chapterdesk.reports.signin import signin_sheet_pdf

__all__ = ["A6", "AVERY_5392", "LabelStock", "badge_pdf", "badges_pdf", "signin_sheet_pdf"]
