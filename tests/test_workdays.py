"""The Swedish calendar and Lag (1930:173) om beräkning av lagstadgad tid, checked against real dates."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cases.workdays import (
    add_working_days,
    appeal_period_ends,
    deadline_after,
    easter_sunday,
    holiday_name,
    is_working_day,
    moved_reason,
    next_working_day,
    public_holidays,
)

# Easter Sunday


def test_easter_2017_is_april_16():
    assert easter_sunday(2017) == date(2017, 4, 16)


def test_easter_2018_is_april_1():
    assert easter_sunday(2018) == date(2018, 4, 1)


def test_easter_2019_is_april_21():
    assert easter_sunday(2019) == date(2019, 4, 21)


def test_easter_2024_is_march_31():
    assert easter_sunday(2024) == date(2024, 3, 31)


def test_easter_2025_is_april_20():
    assert easter_sunday(2025) == date(2025, 4, 20)


def test_easter_2026_is_april_5():
    assert easter_sunday(2026) == date(2026, 4, 5)


def test_easter_is_always_a_sunday_between_march_22_and_april_25():
    for year in range(1900, 2201):
        easter = easter_sunday(year)
        assert easter.weekday() == 6
        assert date(year, 3, 22) <= easter <= date(year, 4, 25)


# The holidays of a year


def test_langfredagen_2025_is_april_18_and_annandag_pask_is_april_21():
    assert holiday_name(date(2025, 4, 18)) == "långfredagen"
    assert holiday_name(date(2025, 4, 21)) == "annandag påsk"


def test_kristi_himmelsfardsdag_2025_is_may_29():
    assert holiday_name(date(2025, 5, 29)) == "Kristi himmelsfärdsdag"


def test_kristi_himmelsfardsdag_2026_is_may_14():
    assert holiday_name(date(2026, 5, 14)) == "Kristi himmelsfärdsdag"


def test_pingstdagen_2025_is_june_8_after_pingstafton():
    assert holiday_name(date(2025, 6, 7)) == "pingstafton"
    assert holiday_name(date(2025, 6, 8)) == "pingstdagen"


@pytest.mark.parametrize(
    "midsommarafton",
    [date(2018, 6, 22), date(2024, 6, 21), date(2025, 6, 20), date(2026, 6, 19)],
)
def test_midsommarafton_is_the_friday_between_june_19_and_25(midsommarafton):
    assert holiday_name(midsommarafton) == "midsommarafton"
    assert holiday_name(midsommarafton + timedelta(days=1)) == "midsommardagen"
    assert not is_working_day(midsommarafton)


def test_alla_helgons_dag_2025_is_november_1():
    assert holiday_name(date(2025, 11, 1)) == "alla helgons dag"


def test_alla_helgons_dag_2026_is_october_31():
    assert holiday_name(date(2026, 10, 31)) == "alla helgons dag"


def test_a_year_has_eighteen_named_days_in_date_order():
    holidays = public_holidays(2025)
    assert list(holidays.values()) == [
        "nyårsdagen",
        "trettondedag jul",
        "långfredagen",
        "påskafton",
        "påskdagen",
        "annandag påsk",
        "första maj",
        "Kristi himmelsfärdsdag",
        "Sveriges nationaldag",
        "pingstafton",
        "pingstdagen",
        "midsommarafton",
        "midsommardagen",
        "alla helgons dag",
        "julafton",
        "juldagen",
        "annandag jul",
        "nyårsafton",
    ]
    assert list(holidays) == sorted(holidays)


def test_kristi_himmelsfardsdag_on_forsta_maj_2008_keeps_both_names():
    assert holiday_name(date(2008, 5, 1)) == "första maj och Kristi himmelsfärdsdag"


def test_changing_the_returned_holidays_does_not_change_the_calendar():
    public_holidays(2025).clear()
    assert len(public_holidays(2025)) == 18
    assert not is_working_day(date(2025, 12, 25))


def test_an_ordinary_day_has_no_holiday_name():
    assert holiday_name(date(2025, 3, 12)) is None


# Working days


@pytest.mark.parametrize(
    "day",
    [date(2025, 12, 24), date(2025, 12, 25), date(2025, 12, 26), date(2025, 12, 31), date(2026, 1, 1)],
    ids=["julafton", "juldagen", "annandag jul", "nyårsafton", "nyårsdagen"],
)
def test_christmas_and_new_year_are_not_working_days(day):
    assert day.weekday() < 5
    assert not is_working_day(day)


def test_saturdays_and_sundays_are_not_working_days():
    assert not is_working_day(date(2025, 3, 15))
    assert not is_working_day(date(2025, 3, 16))


def test_trettondedag_jul_and_the_national_day_are_not_working_days():
    assert not is_working_day(date(2026, 1, 6))
    assert not is_working_day(date(2025, 6, 6))


def test_an_ordinary_wednesday_is_a_working_day_and_stays():
    wednesday = date(2025, 3, 12)
    assert is_working_day(wednesday)
    assert next_working_day(wednesday) == wednesday
    assert moved_reason(wednesday) is None


# Deadlines moved under Lag (1930:173)


def test_a_deadline_on_midsommarafton_2025_moves_to_monday_june_23():
    assert next_working_day(date(2025, 6, 20)) == date(2025, 6, 23)


def test_a_saturday_moves_to_monday():
    assert next_working_day(date(2025, 3, 15)) == date(2025, 3, 17)


def test_a_deadline_on_julafton_2025_moves_past_christmas_and_the_weekend_to_december_29():
    assert next_working_day(date(2025, 12, 24)) == date(2025, 12, 29)


def test_nyarsafton_2025_moves_past_nyarsdagen_to_january_2_2026():
    assert next_working_day(date(2025, 12, 31)) == date(2026, 1, 2)


def test_langfredagen_2026_moves_past_easter_to_tuesday_april_7():
    assert next_working_day(date(2026, 4, 3)) == date(2026, 4, 7)


def test_a_deadline_three_weeks_from_a_friday_before_midsommar_moves_to_monday():
    assert deadline_after(date(2025, 5, 30), weeks=3) == date(2025, 6, 23)


def test_a_deadline_in_days_that_lands_on_a_working_day_stays():
    assert deadline_after(date(2025, 3, 3), days=9) == date(2025, 3, 12)


def test_a_deadline_with_no_period_is_the_start_moved_to_a_working_day():
    assert deadline_after(date(2025, 12, 24)) == date(2025, 12, 29)


def test_a_negative_period_is_refused():
    with pytest.raises(ValueError):
        deadline_after(date(2025, 3, 12), days=-1)


# Adding working days


def test_adding_zero_working_days_is_the_next_working_day():
    assert add_working_days(date(2025, 3, 12), 0) == date(2025, 3, 12)
    assert add_working_days(date(2025, 3, 15), 0) == date(2025, 3, 17)


def test_one_working_day_after_a_friday_is_monday():
    assert add_working_days(date(2025, 3, 14), 1) == date(2025, 3, 17)


def test_five_working_days_after_december_22_2025_skip_christmas_and_new_year():
    # 23, 29, 30 December 2025, then 2 and 5 January 2026 (the 6th is trettondedag jul).
    assert add_working_days(date(2025, 12, 22), 5) == date(2026, 1, 5)


def test_a_negative_number_of_working_days_is_refused():
    with pytest.raises(ValueError):
        add_working_days(date(2025, 3, 12), -1)


# Appeal period, kommunallagen 13 kap. 5 §


def test_an_anslag_on_monday_december_8_2025_can_be_appealed_until_monday_december_29():
    assert appeal_period_ends(date(2025, 12, 8)) == date(2025, 12, 29)


def test_three_weeks_ending_on_juldagen_2025_move_to_december_29():
    assert date(2025, 12, 4) + timedelta(weeks=3) == date(2025, 12, 25)
    assert appeal_period_ends(date(2025, 12, 4)) == date(2025, 12, 29)


def test_three_weeks_ending_on_a_saturday_move_to_monday():
    assert date(2025, 9, 6) + timedelta(weeks=3) == date(2025, 9, 27)
    assert appeal_period_ends(date(2025, 9, 6)) == date(2025, 9, 29)


# Why a deadline moved


def test_moved_reason_names_the_holiday():
    assert moved_reason(date(2018, 6, 23)) == "2018-06-23 är midsommardagen"
    assert moved_reason(date(2025, 12, 24)) == "2025-12-24 är julafton"


def test_moved_reason_names_the_holiday_even_on_a_saturday():
    assert moved_reason(date(2025, 11, 1)) == "2025-11-01 är alla helgons dag"


def test_moved_reason_names_a_plain_saturday():
    assert moved_reason(date(2018, 6, 2)) == "2018-06-02 är en lördag"


def test_moved_reason_names_a_plain_sunday():
    assert moved_reason(date(2018, 6, 3)) == "2018-06-03 är en söndag"


def test_moved_reason_is_none_for_a_working_day():
    assert moved_reason(date(2018, 6, 4)) is None


# Properties


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
def test_the_next_working_day_is_a_working_day_within_ten_days(day):
    moved = next_working_day(day)
    assert is_working_day(moved)
    assert day <= moved < day + timedelta(days=10)
    if is_working_day(day):
        assert moved == day
        assert moved_reason(day) is None
    else:
        assert moved_reason(day) is not None
