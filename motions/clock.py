"""The motion clock (Kommunallagen 5 kap. 35 §): a motion should be decided within a year of being raised."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext_lazy as _

WARN_MONTHS = (9, 11)
LIMIT_MONTHS = 12


@dataclass(frozen=True)
class Clock:
    days: int
    level: str  # "ok", "warn9", "warn11", "late"
    one_year_on: date

    @property
    def label(self) -> str:
        return str(LABELS[self.level])


LABELS = {
    "ok": _("inom tiden"),
    "warn9": _("mer än 9 månader"),
    "warn11": _("mer än 11 månader"),
    "late": _("mer än ett år: redovisa för fullmäktige"),
}


def motion_clock(raised_on: date, today: date) -> Clock:
    one_year_on = raised_on + relativedelta(months=LIMIT_MONTHS)
    if today >= one_year_on:
        level = "late"
    elif today >= raised_on + relativedelta(months=WARN_MONTHS[1]):
        level = "warn11"
    elif today >= raised_on + relativedelta(months=WARN_MONTHS[0]):
        level = "warn9"
    else:
        level = "ok"
    return Clock(days=(today - raised_on).days, level=level, one_year_on=one_year_on)
