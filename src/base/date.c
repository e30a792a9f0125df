#include "grantrec/date.h"

#include <stdio.h>
#include <string.h>

static const char *const format_names[] = {
	[GR_DATE_ISO] = "YYYY-MM-DD",
	[GR_DATE_DMY_DASH] = "DD-MM-YYYY",
	[GR_DATE_DMY_SLASH] = "DD/MM/YYYY",
	[GR_DATE_MDY_SLASH] = "MM/DD/YYYY",
	[GR_DATE_DMY_DOT] = "DD.MM.YYYY",
};

const char *gr_date_format_name(enum gr_date_format format)
{
	return format_names[format];
}

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int gr_days_in_month(int year, int month)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return month == 2 && is_leap(year) ? 29 : days[month - 1];
}

/* Howard Hinnant's days_from_civil: exact for every Gregorian date. */
gr_date gr_date_from_ymd(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (gr_date)(era * 146097 + doe - 719468);
}

void gr_date_to_ymd(gr_date date, int *year, int *month, int *day)
{
	int z = date + 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int y = yoe + era * 400;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;
	int d = doy - (153 * mp + 2) / 5 + 1;
	int m = mp + (mp < 10 ? 3 : -9);
	*year = y + (m <= 2);
	*month = m;
	*day = d;
}

/* Reads between min and max digits; returns the number read or -1. */
static int read_number(const char **p, int min, int max, int *value)
{
	int n = 0, v = 0;
	while (n < max && (*p)[n] >= '0' && (*p)[n] <= '9') {
		v = v * 10 + ((*p)[n] - '0');
		n++;
	}
	if (n < min || ((*p)[n] >= '0' && (*p)[n] <= '9'))
		return -1;
	*p += n;
	*value = v;
	return n;
}

static const char *check_ymd(int y, int m, int d)
{
	if (y < GR_DATE_MIN_YEAR || y > GR_DATE_MAX_YEAR)
		return "a year between 1900 and 2199";
	if (m < 1 || m > 12)
		return "a month from 01 to 12";
	if (d < 1 || d > gr_days_in_month(y, m))
		return "a day that exists in that month";
	return NULL;
}

const char *gr_date_parse(gr_date *out, const char *text,
                          enum gr_date_format format)
{
	const char *p = text;
	while (*p == ' ')
		p++;
	if (*p == '\0')
		return "a date, found nothing";
	int a = 0, b = 0, c = 0;
	char sep;
	const char *layout_error;
	switch (format) {
	case GR_DATE_ISO:
		sep = '-';
		layout_error = "a date written YYYY-MM-DD";
		if (read_number(&p, 4, 4, &a) < 0 || *p++ != sep ||
		    read_number(&p, 2, 2, &b) < 0 || *p++ != sep ||
		    read_number(&p, 2, 2, &c) < 0)
			return layout_error;
		break;
	default:
		sep = format == GR_DATE_DMY_DASH ? '-'
		    : format == GR_DATE_DMY_DOT ? '.' : '/';
		layout_error = format == GR_DATE_DMY_DASH ? "a date written DD-MM-YYYY"
		             : format == GR_DATE_DMY_DOT ? "a date written DD.MM.YYYY"
		             : format == GR_DATE_DMY_SLASH ? "a date written DD/MM/YYYY"
		             : "a date written MM/DD/YYYY";
		if (read_number(&p, 1, 2, &a) < 0 || *p++ != sep ||
		    read_number(&p, 1, 2, &b) < 0 || *p++ != sep ||
		    read_number(&p, 4, 4, &c) < 0)
			return layout_error;
		break;
	}
	while (*p == ' ')
		p++;
	if (*p != '\0')
		return layout_error;
	int y, m, d;
	switch (format) {
	case GR_DATE_ISO: y = a; m = b; d = c; break;
	case GR_DATE_MDY_SLASH: y = c; m = a; d = b; break;
	default: y = c; m = b; d = a; break;
	}
	const char *why = check_ymd(y, m, d);
	if (why)
		return why;
	*out = gr_date_from_ymd(y, m, d);
	return NULL;
}

const char *gr_month_parse(gr_date *out, const char *text)
{
	const char *p = text;
	while (*p == ' ')
		p++;
	int y = 0, m = 0;
	if (read_number(&p, 4, 4, &y) < 0 || *p++ != '-' ||
	    read_number(&p, 2, 2, &m) < 0)
		return "a month written YYYY-MM";
	while (*p == ' ')
		p++;
	if (*p != '\0')
		return "a month written YYYY-MM";
	const char *why = check_ymd(y, m, 1);
	if (why)
		return why;
	*out = gr_date_from_ymd(y, m, 1);
	return NULL;
}

char *gr_date_iso(char buf[11], gr_date date)
{
	int y, m, d;
	gr_date_to_ymd(date, &y, &m, &d);
	/* The moduli change nothing (years are 1 to 9999, see date.h); they
	 * let the compiler see that the text fits in 11 bytes. */
	snprintf(buf, 11, "%04u-%02u-%02u", (unsigned)y % 10000u,
	         (unsigned)m % 100u, (unsigned)d % 100u);
	return buf;
}

gr_date gr_date_add_months(gr_date date, int months)
{
	int y, m, d;
	gr_date_to_ymd(date, &y, &m, &d);
	int total = y * 12 + (m - 1) + months;
	y = total / 12;
	m = total % 12 + 1;
	int last = gr_days_in_month(y, m);
	return gr_date_from_ymd(y, m, d > last ? last : d);
}

gr_date gr_date_month_start(gr_date date)
{
	int y, m, d;
	gr_date_to_ymd(date, &y, &m, &d);
	return gr_date_from_ymd(y, m, 1);
}
