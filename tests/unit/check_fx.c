/*
 * check_fx.c: rate tables and the rule that picks a line's rate.
 *
 * Each test writes a grant.ini naming the rate files, loads it with
 * gr_grant_load and the rates with gr_fx_load, and asks gr_fx_find.
 * Transfer averages are worked out by hand in the comments.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "grantrec/fx.h"
#include "grantrec/grant.h"
#include "grantrec/inputs.h"
#include "unit.h"

struct fx_world {
	char *dir;
	char *ini;
	struct gr_grant grant;
	struct gr_inputs inputs;
	struct gr_diags diags;
	struct gr_fx fx;
	enum gr_status status;
};

/* Members: tdh (index 0, lead, transfer-average), plan (1, daily),
 * icco (2, monthly). Files that are NULL are left out of grant.ini. */
static void world_load(struct fx_world *w, const char *daily,
                       const char *monthly, const char *transfers)
{
	memset(w, 0, sizeof(*w));
	w->dir = ut_mkdir("fx");
	char ini[2048];
	snprintf(ini, sizeof(ini),
	         "[grant]\nname = G\ncurrency = EUR\namount = 1000.00\n"
	         "start = 2021-01-01\nend = 2021-12-31\nbudget = budget.csv\n"
	         "tranches = tranches.csv\n%s%s%s"
	         "[member tdh]\nrole = lead\nledger = tdh.csv\nfx = %s\n"
	         "[member plan]\nrole = member\nledger = plan.csv\nfx = %s\n"
	         "[member icco]\nrole = member\nledger = icco.csv\nfx = %s\n",
	         daily ? "daily_rates = daily.csv\n" : "",
	         monthly ? "monthly_rates = rates/monthly.csv\n" : "",
	         transfers ? "transfers = transfers.csv\n" : "",
	         transfers ? "transfer-average" : daily ? "daily" : "monthly",
	         daily ? "daily" : transfers ? "transfer-average" : "monthly",
	         monthly ? "monthly" : daily ? "daily" : "transfer-average");
	w->ini = ut_write(w->dir, "grant.ini", ini);
	if (daily)
		free(ut_write(w->dir, "daily.csv", daily));
	if (monthly) {
		char *sub = ut_path(w->dir, "rates");
		ck_assert_int_eq(mkdir(sub, 0700), 0);
		free(ut_write(sub, "monthly.csv", monthly));
		free(sub);
	}
	if (transfers)
		free(ut_write(w->dir, "transfers.csv", transfers));
	gr_grant_init(&w->grant);
	enum gr_status st = gr_grant_load(&w->grant, w->ini, &w->inputs, &w->diags);
	ck_assert_msg(st == GR_OK, "grant.ini: %s", ut_diags_text(&w->diags));
	w->status = gr_fx_load(&w->fx, &w->grant, &w->inputs, &w->diags);
}

static void world_free(struct fx_world *w)
{
	gr_fx_release(&w->fx);
	gr_grant_release(&w->grant);
	gr_inputs_release(&w->inputs);
	gr_diags_release(&w->diags);
	ut_rmtree(w->dir);
	free(w->ini);
	free(w->dir);
}

#define expect_loaded(w)                                                     \
	ck_assert_msg((w)->status == GR_OK && (w)->diags.count == 0,             \
	              "gr_fx_load: status %d:%s", (int)(w)->status,              \
	              ut_diags_text(&(w)->diags))

static gr_date day(int y, int m, int d)
{
	return gr_date_from_ymd(y, m, d);
}

/* The rate found for (method, member, currency, date): checks the result
 * code and, when found, the value (as a fraction) and the source line. */
static const struct gr_rate *expect_rate(const struct fx_world *w,
                                         enum gr_fx_method method,
                                         size_t member, const char *currency,
                                         gr_date date,
                                         enum gr_fx_result result,
                                         const char *value, long line)
{
	size_t idx = (size_t)-1;
	enum gr_fx_result got = gr_fx_find(&w->fx, method, member, currency, date,
	                                   &idx);
	char when[11];
	gr_date_iso(when, date);
	ck_assert_msg(got == result, "%s %s on %s: result %d, expected %d",
	              gr_fx_method_name(method), currency, when, got, result);
	if (result != GR_FX_FOUND && result != GR_FX_FALLBACK)
		return NULL;
	ck_assert_msg(idx < w->fx.rate_count, "rate index %zu of %zu", idx,
	              w->fx.rate_count);
	const struct gr_rate *r = &w->fx.rates[idx];
	mpq_t want;
	mpq_init(want);
	ck_assert_int_eq(mpq_set_str(want, value, 10), 0);
	mpq_canonicalize(want);
	int same = mpq_equal(r->value, want);
	mpq_clear(want);
	ck_assert_msg(same, "%s %s on %s: rate %s, expected %s",
	              gr_fx_method_name(method), currency, when, ut_q(r->value),
	              value);
	ck_assert_msg(r->line == line, "%s %s on %s: line %ld, expected %ld",
	              gr_fx_method_name(method), currency, when, r->line, line);
	ck_assert_str_eq(r->currency, currency);
	ck_assert_int_eq(r->method, method);
	return r;
}

/* ---- daily ------------------------------------------------------------------ */

static const char daily_csv[] =
	"date,currency,rate\n"     /* 1 */
	"2021-05-03,USD,1.2000\n"  /* 2 */
	"2021-05-03,INR,88.5\n"    /* 3 */
	"2021-05-07,USD,1.22\n"    /* 4: out of date order on purpose */
	"2021-05-05,USD,1.2100\n"  /* 5 */
	"2021-05-05,INR,89\n";     /* 6 */

START_TEST(test_daily)
{
	struct fx_world w;
	world_load(&w, daily_csv, NULL, NULL);
	expect_loaded(&w);
	/* on a rate date */
	const struct gr_rate *r = expect_rate(&w, GR_FX_DAILY, 1, "USD",
	                                      day(2021, 5, 3), GR_FX_FOUND,
	                                      "6/5", 2);
	ck_assert_str_eq(r->text, "1.2000");
	ck_assert_int_eq(r->date, day(2021, 5, 3));
	ck_assert_str_eq(r->path, w.fx.daily_path);
	/* between dates: the latest on or before */
	expect_rate(&w, GR_FX_DAILY, 1, "USD", day(2021, 5, 4), GR_FX_FOUND,
	            "6/5", 2);
	expect_rate(&w, GR_FX_DAILY, 1, "USD", day(2021, 5, 5), GR_FX_FOUND,
	            "121/100", 5);
	expect_rate(&w, GR_FX_DAILY, 1, "USD", day(2021, 5, 6), GR_FX_FOUND,
	            "121/100", 5);
	expect_rate(&w, GR_FX_DAILY, 1, "USD", day(2021, 5, 7), GR_FX_FOUND,
	            "61/50", 4);
	expect_rate(&w, GR_FX_DAILY, 1, "USD", day(2021, 12, 31), GR_FX_FOUND,
	            "61/50", 4);
	/* the other currency keeps its own dates */
	expect_rate(&w, GR_FX_DAILY, 1, "INR", day(2021, 5, 4), GR_FX_FOUND,
	            "177/2", 3);
	expect_rate(&w, GR_FX_DAILY, 1, "INR", day(2021, 5, 9), GR_FX_FOUND,
	            "89", 6);
	/* before the first rate, and an unknown currency */
	expect_rate(&w, GR_FX_DAILY, 1, "USD", day(2021, 5, 2), GR_FX_NO_RATE,
	            NULL, 0);
	expect_rate(&w, GR_FX_DAILY, 1, "JPY", day(2021, 5, 5), GR_FX_NO_CURRENCY,
	            NULL, 0);
	ck_assert_int_eq(gr_fx_first_date(&w.fx, GR_FX_DAILY, 0, "USD"),
	                 day(2021, 5, 3));
	ck_assert_int_eq(gr_fx_first_date(&w.fx, GR_FX_DAILY, 0, "INR"),
	                 day(2021, 5, 3));
	ck_assert_int_eq(gr_fx_first_date(&w.fx, GR_FX_DAILY, 0, "JPY"),
	                 GR_NO_DATE);
	/* the table is in the manifest */
	ck_assert_uint_eq(w.inputs.count, 2);
	ck_assert_int_eq(w.inputs.items[1]->lines, 6);
	world_free(&w);
}
END_TEST

START_TEST(test_daily_same_rate_twice)
{
	struct fx_world w;
	/* the same value, once written 1.2000 and once 1.2 */
	world_load(&w, "date,currency,rate\n2021-05-03,USD,1.2000\n"
	               "2021-05-03,USD,1.2000\n2021-05-04,USD,1.3\n"
	               "2021-05-04,USD,1.30\n", NULL, NULL);
	expect_loaded(&w);
	size_t idx;
	ck_assert_int_eq(gr_fx_find(&w.fx, GR_FX_DAILY, 1, "USD", day(2021, 5, 3),
	                            &idx), GR_FX_FOUND);
	ut_assert_q(w.fx.rates[idx].value, "6/5");
	ck_assert_int_eq(gr_fx_find(&w.fx, GR_FX_DAILY, 1, "USD", day(2021, 5, 4),
	                            &idx), GR_FX_FOUND);
	ut_assert_q(w.fx.rates[idx].value, "13/10");
	world_free(&w);
}
END_TEST

START_TEST(test_daily_conflict)
{
	struct fx_world w;
	world_load(&w, "date,currency,rate\n2021-05-03,USD,1.2000\n"
	               "2021-05-04,USD,1.3\n2021-05-03,USD,1.2001\n", NULL, NULL);
	ck_assert_int_eq(w.status, GR_E_INPUT);
	/* the error names one of the two lines and both values */
	const struct gr_diag *d = ut_find_diag(&w.diags, 4, "1.2001");
	if (!d)
		d = ut_find_diag(&w.diags, 2, "1.2001");
	ck_assert_msg(d != NULL, "no error about the two rates:%s",
	              ut_diags_text(&w.diags));
	ck_assert_msg(strstr(d->message, "1.2000") != NULL, "%s", d->message);
	world_free(&w);
}
END_TEST

START_TEST(test_bad_rates)
{
	static const struct { const char *csv; long line; } cases[] = {
		{"date,currency,rate\n2021-05-03,USD,1.2\n2021-05-04,USD,0\n", 3},
		{"date,currency,rate\n2021-05-03,USD,0.0000\n", 2},
		{"date,currency,rate\n2021-05-03,USD,-1.2\n", 2},
		{"date,currency,rate\n2021-05-03,USD,(1.2)\n", 2},
		{"date,currency,rate\n2021-05-03,USD,1,2\n", 2},   /* 4 fields */
		{"date,currency,rate\n2021-05-03,USD,N/A\n", 2},   /* the ECB's gap */
		{"date,currency,rate\n2021-05-03,USD,\n", 2},
		{"date,currency,rate\n2021-05-03,USD,1e2\n", 2},
		{"date,currency,rate\n03-05-2021,USD,1.2\n", 2},
		{"date,currency,rate\n2021-05-03,US,1.2\n", 2},
		{"date,currency,rate\n2021-05-03,EUR,1\n", 2},     /* the grant's own */
		{"date,currency\n2021-05-03,USD\n", 1},            /* no rate column */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fx_world w;
		world_load(&w, cases[i].csv, NULL, NULL);
		ck_assert_msg(w.status == GR_E_INPUT, "case %zu accepted", i);
		ck_assert_msg(ut_find_diag(&w.diags, cases[i].line, "") != NULL,
		              "case %zu: no error on line %ld:%s", i, cases[i].line,
		              ut_diags_text(&w.diags));
		world_free(&w);
	}
}
END_TEST

/* ---- monthly ---------------------------------------------------------------- */

START_TEST(test_monthly)
{
	struct fx_world w;
	world_load(&w, NULL,
	           "month,currency,rate\n"     /* 1 */
	           "2021-05,USD,1.20\n"        /* 2 */
	           "2021-07,USD,1.25\n"        /* 3 */
	           "2021-05,PEN,4.5\n",        /* 4 */
	           NULL);
	expect_loaded(&w);
	const struct gr_rate *r = expect_rate(&w, GR_FX_MONTHLY, 2, "USD",
	                                      day(2021, 5, 1), GR_FX_FOUND,
	                                      "6/5", 2);
	ck_assert_int_eq(r->date, day(2021, 5, 1));
	ck_assert_str_eq(r->text, "1.20");
	expect_rate(&w, GR_FX_MONTHLY, 2, "USD", day(2021, 5, 31), GR_FX_FOUND,
	            "6/5", 2);
	expect_rate(&w, GR_FX_MONTHLY, 2, "USD", day(2021, 7, 1), GR_FX_FOUND,
	            "5/4", 3);
	expect_rate(&w, GR_FX_MONTHLY, 2, "USD", day(2021, 7, 31), GR_FX_FOUND,
	            "5/4", 3);
	/* a month without a rate is not covered by the one before it */
	expect_rate(&w, GR_FX_MONTHLY, 2, "USD", day(2021, 6, 15), GR_FX_NO_RATE,
	            NULL, 0);
	expect_rate(&w, GR_FX_MONTHLY, 2, "USD", day(2021, 8, 1), GR_FX_NO_RATE,
	            NULL, 0);
	expect_rate(&w, GR_FX_MONTHLY, 2, "USD", day(2021, 4, 30), GR_FX_NO_RATE,
	            NULL, 0);
	expect_rate(&w, GR_FX_MONTHLY, 2, "PEN", day(2021, 5, 20), GR_FX_FOUND,
	            "9/2", 4);
	expect_rate(&w, GR_FX_MONTHLY, 2, "PEN", day(2021, 7, 20), GR_FX_NO_RATE,
	            NULL, 0);
	expect_rate(&w, GR_FX_MONTHLY, 2, "BOB", day(2021, 5, 20),
	            GR_FX_NO_CURRENCY, NULL, 0);
	ck_assert_int_eq(gr_fx_first_date(&w.fx, GR_FX_MONTHLY, 2, "USD"),
	                 day(2021, 5, 1));
	world_free(&w);
}
END_TEST

START_TEST(test_monthly_conflict)
{
	struct fx_world w;
	world_load(&w, NULL, "month,currency,rate\n2021-05,USD,1.20\n"
	                     "2021-05,USD,1.21\n", NULL);
	ck_assert_int_eq(w.status, GR_E_INPUT);
	ck_assert_ptr_nonnull(ut_find_diag(&w.diags, -1, "1.21"));
	world_free(&w);
	/* the same rate twice is harmless */
	world_load(&w, NULL, "month,currency,rate\n2021-05,USD,1.20\n"
	                     "2021-05,USD,1.2\n", NULL);
	expect_loaded(&w);
	world_free(&w);
	/* a day is not a month */
	world_load(&w, NULL, "month,currency,rate\n2021-05-01,USD,1.20\n", NULL);
	ck_assert_int_eq(w.status, GR_E_INPUT);
	ck_assert_ptr_nonnull(ut_find_diag(&w.diags, 2, ""));
	world_free(&w);
}
END_TEST

/* ---- transfer-average ------------------------------------------------------- */

/* tdh is member 0, plan member 1. */
static const char transfers_csv[] =
	"date,member,currency,eur,local\n"          /* 1 */
	"2021-06-10,tdh,BDT,2000.00,174000.00\n"    /* 2: out of order */
	"2021-05-10,tdh,BDT,1000.00,85000.00\n"     /* 3 */
	"2021-07-01,tdh,BDT,500,43000\n"            /* 4: two on one day */
	"2021-07-01,tdh,BDT,500,44000\n"            /* 5 */
	"2021-05-01,plan,BDT,100,9000\n"            /* 6: plan's own */
	"2021-05-20,tdh,NPR,1000,140000\n";         /* 7 */

START_TEST(test_transfer_average)
{
	struct fx_world w;
	world_load(&w, NULL, NULL, transfers_csv);
	expect_loaded(&w);
	/* after the first transfer: 85000 / 1000 = 85 */
	const struct gr_rate *r = expect_rate(&w, GR_FX_TRANSFER_AVERAGE, 0, "BDT",
	                                      day(2021, 5, 10), GR_FX_FOUND,
	                                      "85", 3);
	ck_assert_int_eq(r->date, day(2021, 5, 10));
	ck_assert_uint_eq(r->member, 0);
	ck_assert_uint_eq(r->first_transfer, r->last_transfer);
	expect_rate(&w, GR_FX_TRANSFER_AVERAGE, 0, "BDT", day(2021, 6, 9),
	            GR_FX_FOUND, "85", 3);
	/* after both: (85000 + 174000) / (1000 + 2000) = 259000 / 3000
	 * = 259/3 = 86.333... (not the mean of 85 and 87, which is 86) */
	r = expect_rate(&w, GR_FX_TRANSFER_AVERAGE, 0, "BDT", day(2021, 6, 10),
	                GR_FX_FOUND, "259/3", 2);
	ck_assert_int_eq(r->date, day(2021, 6, 10));
	ck_assert_uint_eq(r->last_transfer - r->first_transfer, 1);
	const struct gr_transfer *t = &w.fx.transfers[r->first_transfer];
	ck_assert_int_eq(t->line, 3); /* the range starts at the earliest */
	ck_assert_int_eq(w.fx.transfers[r->last_transfer].line, 2);
	expect_rate(&w, GR_FX_TRANSFER_AVERAGE, 0, "BDT", day(2021, 6, 30),
	            GR_FX_FOUND, "259/3", 2);
	/* two transfers on 1 July both count on that day:
	 * (259000 + 43000 + 44000) / (3000 + 500 + 500) = 346000 / 4000
	 * = 173/2 = 86.5; the rate cites the later of the two (line 5) */
	r = expect_rate(&w, GR_FX_TRANSFER_AVERAGE, 0, "BDT", day(2021, 7, 1),
	                GR_FX_FOUND, "173/2", 5);
	ck_assert_uint_eq(r->last_transfer - r->first_transfer, 3);
	expect_rate(&w, GR_FX_TRANSFER_AVERAGE, 0, "BDT", day(2021, 12, 31),
	            GR_FX_FOUND, "173/2", 5);
	/* before tdh's first BDT transfer: the earliest one, as a fallback
	 * (plan's own transfer of 1 May, at 90, must not be used) */
	r = expect_rate(&w, GR_FX_TRANSFER_AVERAGE, 0, "BDT", day(2021, 5, 1),
	                GR_FX_FALLBACK, "85", 3);
	ck_assert_int_eq(r->date, day(2021, 5, 10));
	expect_rate(&w, GR_FX_TRANSFER_AVERAGE, 0, "BDT", day(2021, 1, 1),
	            GR_FX_FALLBACK, "85", 3);
	/* plan's average is plan's: 9000 / 100 = 90 */
	r = expect_rate(&w, GR_FX_TRANSFER_AVERAGE, 1, "BDT", day(2021, 8, 1),
	                GR_FX_FOUND, "90", 6);
	ck_assert_uint_eq(r->member, 1);
	/* another currency of tdh: 140000 / 1000 = 140 */
	expect_rate(&w, GR_FX_TRANSFER_AVERAGE, 0, "NPR", day(2021, 5, 20),
	            GR_FX_FOUND, "140", 7);
	/* a currency tdh never bought, and a member without transfers */
	expect_rate(&w, GR_FX_TRANSFER_AVERAGE, 0, "INR", day(2021, 5, 20),
	            GR_FX_NO_CURRENCY, NULL, 0);
	expect_rate(&w, GR_FX_TRANSFER_AVERAGE, 2, "BDT", day(2021, 5, 20),
	            GR_FX_NO_CURRENCY, NULL, 0);
	ck_assert_int_eq(gr_fx_first_date(&w.fx, GR_FX_TRANSFER_AVERAGE, 0, "BDT"),
	                 day(2021, 5, 10));
	ck_assert_int_eq(gr_fx_first_date(&w.fx, GR_FX_TRANSFER_AVERAGE, 1, "BDT"),
	                 day(2021, 5, 1));
	world_free(&w);
}
END_TEST

/* Several transfers on the earliest day: a line before that day falls back
 * to the day as a whole: (1000 + 3000) / (10 + 20) = 4000/30 = 400/3. */
START_TEST(test_transfer_fallback_same_day)
{
	struct fx_world w;
	world_load(&w, NULL, NULL,
	           "date,member,currency,eur,local\n"
	           "2021-03-01,tdh,KES,10,1000\n"
	           "2021-03-01,tdh,KES,20,3000\n");
	expect_loaded(&w);
	expect_rate(&w, GR_FX_TRANSFER_AVERAGE, 0, "KES", day(2021, 2, 1),
	            GR_FX_FALLBACK, "400/3", 3);
	world_free(&w);
}
END_TEST

/* A transfers file with its header only (no money sent yet) is valid:
 * there is simply no average for anybody. */
START_TEST(test_transfers_header_only)
{
	struct fx_world w;
	world_load(&w, NULL, NULL, "date,member,currency,eur,local\n");
	expect_loaded(&w);
	ck_assert_uint_eq(w.fx.transfer_count, 0);
	expect_rate(&w, GR_FX_TRANSFER_AVERAGE, 0, "BDT", day(2021, 5, 20),
	            GR_FX_NO_CURRENCY, NULL, 0);
	ck_assert_int_eq(gr_fx_first_date(&w.fx, GR_FX_TRANSFER_AVERAGE, 0, "BDT"),
	                 GR_NO_DATE);
	world_free(&w);
}
END_TEST

START_TEST(test_bad_transfers)
{
	static const struct { const char *csv; long line; } cases[] = {
		{"date,member,currency,eur,local\n2021-03-01,tdh,KES,0,1000\n", 2},
		{"date,member,currency,eur,local\n2021-03-01,tdh,KES,10,0\n", 2},
		{"date,member,currency,eur,local\n2021-03-01,tdh,KES,-10,1000\n", 2},
		{"date,member,currency,eur,local\n2021-03-01,tdh,KES,10,-1000\n", 2},
		{"date,member,currency,eur,local\n2021-03-01,who,KES,10,1000\n", 2},
		{"date,member,currency,eur,local\n2021-03-01,tdh,KES,10,1.000,00\n", 2},
		{"date,member,currency,eur,local\n01-03-2021,tdh,KES,10,1000\n", 2},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fx_world w;
		world_load(&w, NULL, NULL, cases[i].csv);
		ck_assert_msg(w.status == GR_E_INPUT, "case %zu accepted", i);
		ck_assert_msg(ut_find_diag(&w.diags, cases[i].line, "") != NULL,
		              "case %zu: no error on line %ld:%s", i, cases[i].line,
		              ut_diags_text(&w.diags));
		world_free(&w);
	}
}
END_TEST

/* gr_fx_load's status is about the rate tables: diagnostics that the
 * caller had collected before (from another file) do not make it fail,
 * just as gr_grant_load and the table readers count only their own. */
START_TEST(test_status_ignores_earlier_errors)
{
	struct fx_world w;
	world_load(&w, daily_csv, NULL, NULL);
	expect_loaded(&w);
	gr_fx_release(&w.fx);
	gr_error(&w.diags, "budget.csv", 3, "an earlier problem");
	w.status = gr_fx_load(&w.fx, &w.grant, &w.inputs, &w.diags);
	ck_assert_msg(w.status == GR_OK, "status %d after a valid load",
	              (int)w.status);
	ck_assert_uint_eq(w.diags.errors, 1);
	world_free(&w);
}
END_TEST

static Suite *fx_suite(void)
{
	Suite *s = suite_create("fx");
	TCase *tc = tcase_create("daily");
	tcase_add_test(tc, test_daily);
	tcase_add_test(tc, test_daily_same_rate_twice);
	tcase_add_test(tc, test_daily_conflict);
	tcase_add_test(tc, test_bad_rates);
	suite_add_tcase(s, tc);
	tc = tcase_create("monthly");
	tcase_add_test(tc, test_monthly);
	tcase_add_test(tc, test_monthly_conflict);
	suite_add_tcase(s, tc);
	tc = tcase_create("transfer-average");
	tcase_add_test(tc, test_transfer_average);
	tcase_add_test(tc, test_transfer_fallback_same_day);
	tcase_add_test(tc, test_transfers_header_only);
	tcase_add_test(tc, test_bad_transfers);
	suite_add_tcase(s, tc);
	tc = tcase_create("status");
	tcase_add_test(tc, test_status_ignores_earlier_errors);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return ut_main(fx_suite());
}
