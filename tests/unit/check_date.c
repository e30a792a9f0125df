/*
 * check_date.c: strict date parsing in every layout, day numbers, months.
 *
 * Day numbers count days since 1970-01-01. The fixed points below were
 * computed with Python's datetime (date(y,m,d) - date(1970,1,1)).days:
 *   1900-01-01 -25567, 2000-01-01 10957, 2020-02-29 18321,
 *   2021-05-15 18762, 2199-12-31 84005.
 * The round trip walks every day from 1900-01-01 to 2199-12-31 with its
 * own calendar (a counter and a month-length table), independent of the
 * algorithm in src/base/date.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grantrec/date.h"
#include "unit.h"

static bool leap(int y)
{
	/* Gregorian: every 4th year, except centuries not divisible by 400 */
	if (y % 400 == 0)
		return true;
	if (y % 100 == 0)
		return false;
	return y % 4 == 0;
}

static int month_length(int y, int m)
{
	static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && leap(y) ? 29 : len[m - 1];
}

/* ---- gr_date_parse ------------------------------------------------------- */

struct date_case {
	const char *text;
	enum gr_date_format format;
	int y, m, d; /* y == 0: an error is expected */
};

#define OK(t, f, y, m, d) { t, f, y, m, d }
#define BAD(t, f) { t, f, 0, 0, 0 }

static const struct date_case date_cases[] = {
	/* ISO: exactly YYYY-MM-DD */
	OK("2021-05-15", GR_DATE_ISO, 2021, 5, 15),
	OK("  2021-05-15  ", GR_DATE_ISO, 2021, 5, 15),
	OK("2020-02-29", GR_DATE_ISO, 2020, 2, 29),
	OK("2000-02-29", GR_DATE_ISO, 2000, 2, 29), /* 2000 is divisible by 400 */
	OK("1900-01-01", GR_DATE_ISO, 1900, 1, 1),
	OK("2199-12-31", GR_DATE_ISO, 2199, 12, 31),
	BAD("2021-5-15", GR_DATE_ISO),
	BAD("2021-05-5", GR_DATE_ISO),
	BAD("21-05-15", GR_DATE_ISO),
	BAD("02021-05-15", GR_DATE_ISO),
	BAD("2021-005-15", GR_DATE_ISO),
	BAD("2021-05-151", GR_DATE_ISO),
	BAD("2021/05/15", GR_DATE_ISO),
	BAD("2021.05.15", GR_DATE_ISO),
	BAD("20210515", GR_DATE_ISO),
	BAD("2021-05", GR_DATE_ISO),
	BAD("2021-05-", GR_DATE_ISO),
	BAD("2021", GR_DATE_ISO),
	BAD("15-05-2021", GR_DATE_ISO),
	BAD("2021-05-15T00:00", GR_DATE_ISO),
	BAD("2021-05-15 10:00", GR_DATE_ISO),
	BAD("2021-05-15x", GR_DATE_ISO),
	BAD("+2021-05-15", GR_DATE_ISO),
	BAD("-2021-05-15", GR_DATE_ISO),
	BAD("", GR_DATE_ISO),
	BAD("   ", GR_DATE_ISO),
	/* dates that do not exist */
	BAD("2022-02-30", GR_DATE_ISO),
	BAD("2021-02-29", GR_DATE_ISO),
	BAD("1900-02-29", GR_DATE_ISO), /* 1900: a century, not by 400 */
	BAD("2100-02-29", GR_DATE_ISO),
	BAD("2022-04-31", GR_DATE_ISO),
	BAD("2022-13-01", GR_DATE_ISO),
	BAD("2022-00-10", GR_DATE_ISO),
	BAD("2022-01-00", GR_DATE_ISO),
	BAD("2022-01-32", GR_DATE_ISO),
	/* year limits 1900..2199 */
	BAD("1899-12-31", GR_DATE_ISO),
	BAD("2200-01-01", GR_DATE_ISO),
	BAD("0000-01-01", GR_DATE_ISO),
	BAD("9999-12-31", GR_DATE_ISO),

	/* DD-MM-YYYY: one or two digits for day and month */
	OK("15-05-2021", GR_DATE_DMY_DASH, 2021, 5, 15),
	OK("5-5-2021", GR_DATE_DMY_DASH, 2021, 5, 5),
	OK("05-5-2021", GR_DATE_DMY_DASH, 2021, 5, 5),
	OK("5-05-2021", GR_DATE_DMY_DASH, 2021, 5, 5),
	OK(" 29-02-2020 ", GR_DATE_DMY_DASH, 2020, 2, 29),
	BAD("29-02-2021", GR_DATE_DMY_DASH),
	BAD("31-04-2022", GR_DATE_DMY_DASH),
	BAD("15-13-2021", GR_DATE_DMY_DASH),
	BAD("15-05-21", GR_DATE_DMY_DASH),
	BAD("015-05-2021", GR_DATE_DMY_DASH),
	BAD("15-005-2021", GR_DATE_DMY_DASH),
	BAD("15-05-02021", GR_DATE_DMY_DASH),
	BAD("15/05/2021", GR_DATE_DMY_DASH),
	BAD("2021-05-15", GR_DATE_DMY_DASH),
	BAD("15-05-2021-", GR_DATE_DMY_DASH),
	BAD("15-05-2021 x", GR_DATE_DMY_DASH),
	BAD("--2021", GR_DATE_DMY_DASH),
	BAD("", GR_DATE_DMY_DASH),
	BAD("31-12-1899", GR_DATE_DMY_DASH),
	OK("31-12-2199", GR_DATE_DMY_DASH, 2199, 12, 31),

	/* DD/MM/YYYY and MM/DD/YYYY: the same text, two dates */
	OK("01/02/2022", GR_DATE_DMY_SLASH, 2022, 2, 1),
	OK("01/02/2022", GR_DATE_MDY_SLASH, 2022, 1, 2),
	OK("1/2/2022", GR_DATE_DMY_SLASH, 2022, 2, 1),
	OK("1/2/2022", GR_DATE_MDY_SLASH, 2022, 1, 2),
	OK("12/31/2021", GR_DATE_MDY_SLASH, 2021, 12, 31),
	OK("31/12/2021", GR_DATE_DMY_SLASH, 2021, 12, 31),
	BAD("12/31/2021", GR_DATE_DMY_SLASH),
	BAD("31/12/2021", GR_DATE_MDY_SLASH),
	BAD("02/29/2021", GR_DATE_MDY_SLASH),
	OK("02/29/2024", GR_DATE_MDY_SLASH, 2024, 2, 29),
	BAD("04/31/2022", GR_DATE_MDY_SLASH),
	BAD("01-02-2022", GR_DATE_DMY_SLASH),
	BAD("01.02.2022", GR_DATE_MDY_SLASH),
	BAD("01/02/22", GR_DATE_DMY_SLASH),
	BAD("01/02/2022/", GR_DATE_DMY_SLASH),
	BAD("/02/2022", GR_DATE_DMY_SLASH),

	/* DD.MM.YYYY */
	OK("15.05.2021", GR_DATE_DMY_DOT, 2021, 5, 15),
	OK("1.2.2022", GR_DATE_DMY_DOT, 2022, 2, 1),
	BAD("30.02.2022", GR_DATE_DMY_DOT),
	BAD("15.05.2021.", GR_DATE_DMY_DOT),
	BAD("15-05-2021", GR_DATE_DMY_DOT),
	BAD("15.05.21", GR_DATE_DMY_DOT),
};

START_TEST(test_parse_table)
{
	const struct date_case *c = &date_cases[_i];
	gr_date out = 12345;
	const char *why = gr_date_parse(&out, c->text, c->format);
	if (c->y) {
		ck_assert_msg(why == NULL, "case %d '%s' as %s: %s", _i, c->text,
		              gr_date_format_name(c->format), why ? why : "");
		int y, m, d;
		gr_date_to_ymd(out, &y, &m, &d);
		ck_assert_msg(y == c->y && m == c->m && d == c->d,
		              "case %d '%s' as %s: %04d-%02d-%02d, expected "
		              "%04d-%02d-%02d", _i, c->text,
		              gr_date_format_name(c->format), y, m, d, c->y, c->m, c->d);
	} else {
		ck_assert_msg(why != NULL, "case %d '%s' as %s: accepted", _i, c->text,
		              gr_date_format_name(c->format));
		ck_assert_msg(*why != '\0', "case %d: empty message", _i);
	}
}
END_TEST

START_TEST(test_format_names)
{
	ck_assert_str_eq(gr_date_format_name(GR_DATE_ISO), "YYYY-MM-DD");
	ck_assert_str_eq(gr_date_format_name(GR_DATE_DMY_DASH), "DD-MM-YYYY");
	ck_assert_str_eq(gr_date_format_name(GR_DATE_DMY_SLASH), "DD/MM/YYYY");
	ck_assert_str_eq(gr_date_format_name(GR_DATE_MDY_SLASH), "MM/DD/YYYY");
	ck_assert_str_eq(gr_date_format_name(GR_DATE_DMY_DOT), "DD.MM.YYYY");
}
END_TEST

/* ---- day numbers ----------------------------------------------------------- */

START_TEST(test_fixed_points)
{
	static const struct { int y, m, d; gr_date n; } cases[] = {
		{1970, 1, 1, 0}, {1969, 12, 31, -1}, {1900, 1, 1, -25567},
		{2000, 1, 1, 10957}, {2020, 2, 29, 18321}, {2021, 5, 15, 18762},
		{2199, 12, 31, 84005},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ck_assert_int_eq(gr_date_from_ymd(cases[i].y, cases[i].m, cases[i].d),
		                 cases[i].n);
		char buf[11];
		char want[40];
		snprintf(want, sizeof(want), "%04d-%02d-%02d", cases[i].y, cases[i].m,
		         cases[i].d);
		ck_assert_str_eq(gr_date_iso(buf, cases[i].n), want);
	}
}
END_TEST

/* Every day of 1900..2199: from_ymd, to_ymd, days_in_month, the ISO text
 * and parsing it back, against a plain day counter. */
START_TEST(test_round_trip_1900_2199)
{
	gr_date n = -25567; /* 1900-01-01 */
	long days = 0;
	for (int y = 1900; y <= 2199; y++) {
		for (int m = 1; m <= 12; m++) {
			ck_assert_msg(gr_days_in_month(y, m) == month_length(y, m),
			              "days in %04d-%02d: %d", y, m, gr_days_in_month(y, m));
			for (int d = 1; d <= month_length(y, m); d++, n++, days++) {
				gr_date got = gr_date_from_ymd(y, m, d);
				ck_assert_msg(got == n, "%04d-%02d-%02d: day %d, expected %d",
				              y, m, d, (int)got, (int)n);
				int yy, mm, dd;
				gr_date_to_ymd(n, &yy, &mm, &dd);
				ck_assert_msg(yy == y && mm == m && dd == d,
				              "day %d: %04d-%02d-%02d, expected %04d-%02d-%02d",
				              (int)n, yy, mm, dd, y, m, d);
				char iso[11], want[40];
				snprintf(want, sizeof(want), "%04d-%02d-%02d", y, m, d);
				ck_assert_str_eq(gr_date_iso(iso, n), want);
				gr_date parsed = 0;
				ck_assert_ptr_null(gr_date_parse(&parsed, want, GR_DATE_ISO));
				ck_assert_int_eq(parsed, n);
			}
		}
	}
	/* 300 years of 365 days plus 73 leap days (every 4th year, less 1900
	 * and 2100) */
	ck_assert_int_eq(days, 300L * 365 + 73);
	ck_assert_int_eq(n - 1, 84005); /* 2199-12-31 */
}
END_TEST

/* ---- months ---------------------------------------------------------------- */

START_TEST(test_add_months)
{
	static const struct {
		int y, m, d, months, ey, em, ed;
	} cases[] = {
		{2021, 1, 31, 1, 2021, 2, 28},   /* clamped to the month's end */
		{2020, 1, 31, 1, 2020, 2, 29},   /* a leap February */
		{2021, 5, 15, 3, 2021, 8, 15},
		{2021, 5, 15, 0, 2021, 5, 15},
		{2021, 8, 31, 1, 2021, 9, 30},
		{2021, 12, 15, 1, 2022, 1, 15},  /* across the year */
		{2021, 11, 30, 3, 2022, 2, 28},
		{2021, 1, 31, 13, 2022, 2, 28},
		{2021, 5, 15, 12, 2022, 5, 15},
		{2019, 2, 28, 12, 2020, 2, 28},  /* no "end of month" stickiness */
		{2021, 3, 31, -1, 2021, 2, 28},  /* earlier */
		{2022, 1, 15, -1, 2021, 12, 15},
		{2022, 3, 31, -13, 2021, 2, 28},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		gr_date from = gr_date_from_ymd(cases[i].y, cases[i].m, cases[i].d);
		gr_date got = gr_date_add_months(from, cases[i].months);
		char a[11], b[11];
		ck_assert_msg(got == gr_date_from_ymd(cases[i].ey, cases[i].em,
		                                      cases[i].ed),
		              "%s %+d months: %s, expected %04d-%02d-%02d",
		              gr_date_iso(a, from), cases[i].months,
		              gr_date_iso(b, got), cases[i].ey, cases[i].em,
		              cases[i].ed);
	}
}
END_TEST

START_TEST(test_month_start)
{
	char buf[11];
	ck_assert_str_eq(gr_date_iso(buf, gr_date_month_start(
		gr_date_from_ymd(2021, 5, 15))), "2021-05-01");
	ck_assert_str_eq(gr_date_iso(buf, gr_date_month_start(
		gr_date_from_ymd(2021, 5, 1))), "2021-05-01");
	ck_assert_str_eq(gr_date_iso(buf, gr_date_month_start(
		gr_date_from_ymd(2020, 2, 29))), "2020-02-01");
	ck_assert_str_eq(gr_date_iso(buf, gr_date_month_start(
		gr_date_from_ymd(1900, 1, 1))), "1900-01-01");
}
END_TEST

START_TEST(test_month_parse)
{
	static const struct { const char *text; int y, m; } cases[] = {
		{"2021-05", 2021, 5},
		{" 2021-05 ", 2021, 5},
		{"2199-12", 2199, 12},
		{"1900-01", 1900, 1},
		{"2021-5", 0, 0},
		{"2021-13", 0, 0},
		{"2021-00", 0, 0},
		{"2021-05-01", 0, 0},
		{"202105", 0, 0},
		{"05-2021", 0, 0},
		{"2021/05", 0, 0},
		{"1899-12", 0, 0},
		{"2200-01", 0, 0},
		{"2021-05x", 0, 0},
		{"", 0, 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		gr_date out = 0;
		const char *why = gr_month_parse(&out, cases[i].text);
		if (cases[i].y) {
			ck_assert_msg(why == NULL, "'%s': %s", cases[i].text,
			              why ? why : "");
			ck_assert_int_eq(out, gr_date_from_ymd(cases[i].y, cases[i].m, 1));
		} else {
			ck_assert_msg(why != NULL, "'%s' accepted", cases[i].text);
		}
	}
}
END_TEST

static Suite *date_suite(void)
{
	Suite *s = suite_create("date");
	TCase *tc = tcase_create("parse");
	tcase_add_loop_test(tc, test_parse_table, 0,
	                    (int)(sizeof(date_cases) / sizeof(date_cases[0])));
	tcase_add_test(tc, test_format_names);
	suite_add_tcase(s, tc);
	tc = tcase_create("days");
	tcase_add_test(tc, test_fixed_points);
	tcase_add_test(tc, test_round_trip_1900_2199);
	suite_add_tcase(s, tc);
	tc = tcase_create("months");
	tcase_add_test(tc, test_add_months);
	tcase_add_test(tc, test_month_start);
	tcase_add_test(tc, test_month_parse);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return ut_main(date_suite());
}
