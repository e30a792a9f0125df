/*
 * date.h: calendar dates as day numbers, parsed strictly.
 *
 * A date is the number of days since 1970-01-01 in the proleptic Gregorian
 * calendar (no time of day, no time zone, no localtime()). Parsing accepts
 * exactly the declared layout and rejects dates that do not exist.
 */
#ifndef GRANTREC_DATE_H
#define GRANTREC_DATE_H

#include <stdbool.h>
#include <stdint.h>

typedef int32_t gr_date;

/* The "no date" value (an empty `received` in tranches.csv, say). */
#define GR_NO_DATE INT32_MIN

enum gr_date_format {
	GR_DATE_ISO,       /* YYYY-MM-DD */
	GR_DATE_DMY_DASH,  /* DD-MM-YYYY */
	GR_DATE_DMY_SLASH, /* DD/MM/YYYY */
	GR_DATE_MDY_SLASH, /* MM/DD/YYYY */
	GR_DATE_DMY_DOT,   /* DD.MM.YYYY */
};

const char *gr_date_format_name(enum gr_date_format format);

/* Years accepted by the parsers. */
#define GR_DATE_MIN_YEAR 1900
#define GR_DATE_MAX_YEAR 2199

gr_date gr_date_from_ymd(int year, int month, int day);
void gr_date_to_ymd(gr_date date, int *year, int *month, int *day);
int gr_days_in_month(int year, int month);

/*
 * Parses `text` (surrounding spaces allowed) in `format`. Day and month may
 * have one or two digits in the day-first and month-first layouts; ISO
 * dates need exactly YYYY-MM-DD. Returns NULL on success, or a static text
 * saying what was expected.
 */
const char *gr_date_parse(gr_date *out, const char *text,
                          enum gr_date_format format);

/* "YYYY-MM" into the first day of that month. */
const char *gr_month_parse(gr_date *out, const char *text);

/* Writes "YYYY-MM-DD" (11 bytes with the NUL). */
char *gr_date_iso(char buf[11], gr_date date);

/* The same day `months` later; a day past the month's end becomes its last
 * day (2021-01-31 + 1 month = 2021-02-28). */
gr_date gr_date_add_months(gr_date date, int months);

/* The first day of the month that holds `date`. */
gr_date gr_date_month_start(gr_date date);

#endif
