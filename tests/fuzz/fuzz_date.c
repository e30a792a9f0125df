/*
 * fuzz_date: gr_date_parse in every layout and gr_month_parse, checked
 * against an independent reading of docs/formats.md section 5 and an
 * independent day count; then the date arithmetic the quarters use.
 *
 * Input: byte 0 % 6 chooses the layout (0-4: enum gr_date_format,
 * 5: a monthly table's YYYY-MM), byte 1 a number of months to add
 * (signed), the rest is the text (up to its first NUL).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "grantrec/date.h"

static bool leap(long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(long y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && leap(y) ? 29 : d[m - 1];
}

/* Days since 1970-01-01 by counting, sharing nothing with date.c. */
static long ref_days(long y, int m, int d)
{
	long days = 0;
	for (long k = 1970; k < y; k++)
		days += leap(k) ? 366 : 365;
	for (long k = y; k < 1970; k++)
		days -= leap(k) ? 366 : 365;
	for (int k = 1; k < m; k++)
		days += month_days(y, k);
	return days + d - 1;
}

/* Reads exactly min..max digits not followed by a digit. */
static bool ref_num(const char **p, int min, int max, long *out)
{
	int n = 0;
	long v = 0;
	while ((*p)[n] >= '0' && (*p)[n] <= '9') {
		if (n == max)
			return false;
		v = v * 10 + ((*p)[n] - '0');
		n++;
	}
	if (n < min)
		return false;
	*p += n;
	*out = v;
	return true;
}

/* 0..4: the layouts; 5: YYYY-MM. Returns false when refused. */
static bool ref_parse(const char *text, int layout, long *y, int *m, int *d)
{
	const char *p = text;
	while (*p == ' ')
		p++;
	long a, b, c = 1;
	char sep = layout == GR_DATE_DMY_DOT ? '.'
	         : layout == GR_DATE_DMY_SLASH || layout == GR_DATE_MDY_SLASH ? '/'
	         : '-';
	if (layout == GR_DATE_ISO || layout == 5) {
		if (!ref_num(&p, 4, 4, &a) || *p++ != '-' || !ref_num(&p, 2, 2, &b))
			return false;
		if (layout == GR_DATE_ISO && (*p++ != '-' || !ref_num(&p, 2, 2, &c)))
			return false;
		*y = a;
		*m = (int)b;
		*d = (int)c;
	} else {
		if (!ref_num(&p, 1, 2, &a) || *p++ != sep || !ref_num(&p, 1, 2, &b) ||
		    *p++ != sep || !ref_num(&p, 4, 4, &c))
			return false;
		*y = c;
		*m = (int)(layout == GR_DATE_MDY_SLASH ? a : b);
		*d = (int)(layout == GR_DATE_MDY_SLASH ? b : a);
	}
	while (*p == ' ')
		p++;
	if (*p)
		return false;
	return *y >= 1900 && *y <= 2199 && *m >= 1 && *m <= 12 && *d >= 1 &&
	       *d <= month_days(*y, *m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	int layout = data[0] % 6;
	int months = (int8_t)data[1];
	char *text = fz_strndup(data + 2, size - 2);

	gr_date date = 0;
	const char *why = layout == 5 ? gr_month_parse(&date, text)
	                              : gr_date_parse(&date, text, layout);
	long y = 0;
	int m = 0, d = 0;
	bool ok = ref_parse(text, layout, &y, &m, &d);
	FZ_CHECK((why == NULL) == ok, "'%s' in layout %d: grantrec %s, the "
	         "documented grammar %s", text, layout, why ? why : "accepts",
	         ok ? "accepts" : "refuses");
	if (ok) {
		FZ_CHECK(date == ref_days(y, m, d), "'%s' read as day %ld, "
		         "expected %ld", text, (long)date, ref_days(y, m, d));
		int yy, mm, dd;
		gr_date_to_ymd(date, &yy, &mm, &dd);
		FZ_CHECK(yy == y && mm == m && dd == d, "to_ymd of '%s'", text);
		char iso[11];
		gr_date_iso(iso, date);
		gr_date back;
		FZ_CHECK(!gr_date_parse(&back, iso, GR_DATE_ISO) && back == date,
		         "'%s' gave ISO '%s', which does not read back", text, iso);
		FZ_CHECK(gr_date_month_start(date) == ref_days(y, m, 1),
		         "month start of '%s'", text);
		/* Adding months keeps the day, or takes the month's last day. */
		gr_date later = gr_date_add_months(date, months);
		long tm = y * 12 + (m - 1) + months;
		long ly = tm / 12;
		int lm = (int)(tm % 12) + 1;
		int ld = d > month_days(ly, lm) ? month_days(ly, lm) : d;
		FZ_CHECK(later == ref_days(ly, lm, ld), "'%s' + %d months", text,
		         months);
	} else {
		FZ_CHECK(why && *why, "an empty reason for '%s'", text);
	}
	free(text);
	return 0;
}
