/*
 * check_reconcile.c: a tiny grant, written to a temporary folder, loaded
 * by the real loaders and reconciled; every figure worked out by hand.
 *
 * The grant (EUR, 2021-01-01 .. 2021-12-31, threshold 10 %, calendar
 * quarters) has two members:
 *
 *   lead (fx = daily; daily.csv: USD 1.6 from 2021-01-04, 1.7 from 01-06)
 *   line date        voucher budget line country cur  amount   EUR exact
 *    2   2021-01-04  V1   Travel      Kenya  EUR  110.00     110.00
 *    3   2021-01-04  V2   Staff       Kenya  USD    0.20       0.125  (0.20/1.6)
 *    4   2021-01-05  V3   Staff       Kenya  USD    0.216      0.135  (rate of 01-04)
 *    5   2021-01-04  V4   Staff       Kenya  USD   -0.20      -0.125
 *    6   2021-02-01  V5   Staff       ""     EUR 1500.00    1500.00
 *    7   2020-12-31  V6   Staff       Kenya  EUR   99.99     outside the period
 *    8   2022-01-01  V7   Travel      ""     EUR    0.01     outside the period
 *    9   2021-03-01  V8   Equipment   Kenya  EUR   40.00      40.00  (unbudgeted)
 *   10   2021-03-02  V9   Equipment   Kenya  EUR   60.00      60.00
 *   11   2021-05-01  D1   Staff       Kenya  EUR   25.00      25.00
 *   12   2021-05-01  D1   Staff       Kenya  EUR   25.0       25.00  (a repeat)
 *   13   2021-06-01  V10  Staff       Kenya  EUR    0.125      0.125  (3 decimals)
 *
 *   mem (fx = transfer-average; transfers KES: 2021-02-01 1000 EUR for
 *   125000 KES, 2021-03-01 1000 EUR for 135000: 260000/2000 = 130 after)
 *    2   15-01-2021  K1   Staff       Kenya  KES   15,625      0.125  (fallback, /125)
 *    3   15-02-2021  K2   Staff       Kenya  KES 62.500,00   500.00   (/125)
 *    4   15-03-2021  K3   Travel      Kenya  KES 28.602,60   220.02   (/130)
 *    5   20-03-2021  K4   Staff       Kenya  KES   16,25       0.125  (/130)
 *
 * Rounded to cents, the six half cents (0.125 x4 positive, -0.125, and
 * 0.135) give:           half-up        half-even
 *   0.125                  13              12
 *   0.135                  14              14
 *  -0.125                 -13             -12
 * lead actual  = 11000 + 13 + 14 - 13 + 150000 + 4000 + 6000 + 2500 + 2500
 *                + 13 = 176027 (half-up); 176026 (half-even)
 * mem actual   = 13 + 50000 + 22002 + 13 = 72028; 72026
 * total actual = 248055; 248052
 * exact total  = 1760.26 + 720.27 = 2480.53, so the rounding difference
 * is +0.02 = 1/50 (half-up) and -0.01 = -1/100 (half-even).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grantrec/fx.h"
#include "grantrec/grant.h"
#include "grantrec/inputs.h"
#include "grantrec/ledger.h"
#include "grantrec/reconcile.h"
#include "grantrec/tables.h"
#include "unit.h"

static const char lead_csv[] =
	"date,voucher,budget_line,country,currency,amount,description\n"
	"2021-01-04,V1,Travel,Kenya,EUR,110.00,exactly 10% over\n"
	"2021-01-04,V2,Staff,Kenya,USD,0.20,half a cent\n"
	"2021-01-05,V3,Staff,Kenya,USD,0.216,at the rate of 4 January\n"
	"2021-01-04,V4,Staff,Kenya,USD,-0.20,refund\n"
	"2021-02-01,V5,Staff,,EUR,1500.00,head office\n"
	"2020-12-31,V6,Staff,Kenya,EUR,99.99,before the period\n"
	"2022-01-01,V7,Travel,,EUR,0.01,after the period\n"
	"2021-03-01,V8,Equipment,Kenya,EUR,40.00,not in the budget\n"
	"2021-03-02,V9,Equipment,Kenya,EUR,60.00,not in the budget\n"
	"2021-05-01,D1,Staff,Kenya,EUR,25.00,booked once\n"
	"2021-05-01,D1,Staff,Kenya,EUR,25.0,booked twice\n"
	"2021-06-01,V10,Staff,Kenya,EUR,0.125,three decimals in EUR\n";

static const char mem_csv[] =
	"Datum;Boekstuk;Post;Land;Valuta;Bedrag;Omschrijving\n"
	"15-01-2021;K1;Staff;Kenya;KES;15,625;before the first transfer\n"
	"15-02-2021;K2;Staff;Kenya;KES;62.500,00;salaries\n"
	"15-03-2021;K3;Travel;Kenya;KES;28.602,60;travel\n"
	"20-03-2021;K4;Staff;Kenya;KES;16,25;bank fee\n";

static const char budget_csv[] =
	"member,budget_line,amount\n"   /* 1 */
	"lead,Staff,1000.00\n"          /* 2 */
	"lead,Travel,100.00\n"          /* 3 */
	"mem,Staff,500.00\n"            /* 4 */
	"mem,Travel,200.00\n"           /* 5 */
	"ghost,Staff,50.00\n";          /* 6: not a member */

static const char tranches_csv[] =
	"tranche,amount,due,received\n"      /* 1 */
	"T1,1500.00,2021-01-10,2021-01-12\n" /* 2 */
	"T2,500.00,2021-06-30,\n"            /* 3: overdue */
	"T3,300.00,2022-06-30,\n"            /* 4: outstanding */
	"T4,100.00,2022-01-15,\n";           /* 5: due on the as-of date */

static const char disbursements_csv[] =
	"date,member,amount\n"
	"2021-01-20,mem,600.00\n"
	"2022-01-15,mem,100.00\n";           /* the latest date: the as-of date */

static const char comments_csv[] =
	"member,budget_line,comment\n"
	"lead,Staff,\"Head office costs moved here, agreed with the donor\"\n"
	"mem,Equipment,Spelled differently from the ledger\n";

static const char daily_csv[] =
	"date,currency,rate\n"
	"2021-01-04,USD,1.6\n"
	"2021-01-06,USD,1.7\n";

static const char transfers_csv[] =
	"date,member,currency,eur,local\n"
	"2021-02-01,mem,KES,1000,125000\n"
	"2021-03-01,mem,KES,1000,135000\n";

struct world {
	char *dir;
	struct gr_grant grant;
	struct gr_inputs inputs;
	struct gr_diags diags;
	struct gr_tables tables;
	struct gr_fx fx;
	struct gr_ledger ledger;
	struct gr_recon recon;
	enum gr_status status;
};

static void write_file(const char *dir, const char *name, const char *text)
{
	free(ut_write(dir, name, text));
}

/* Writes the grant with `rounding` and `amount`, loads it and reconciles.
 * `lead` replaces lead.csv when not NULL. */
static void world_run(struct world *w, const char *rounding,
                      const char *amount, const char *lead)
{
	memset(w, 0, sizeof(*w));
	w->dir = ut_mkdir("recon");
	char ini[2048];
	snprintf(ini, sizeof(ini),
	         "[grant]\nname = Tiny\ncurrency = EUR\namount = %s\n"
	         "start = 2021-01-01\nend = 2021-12-31\nthreshold = 10\n"
	         "rounding = %s\nquarters = calendar\nbudget = budget.csv\n"
	         "tranches = tranches.csv\ndisbursements = disbursements.csv\n"
	         "comments = comments.csv\ndaily_rates = daily.csv\n"
	         "transfers = transfers.csv\n"
	         "[member lead]\nrole = lead\nledger = lead.csv\nfx = daily\n"
	         "[member mem]\nrole = member\nledger = mem.csv\n"
	         "fx = transfer-average\ndelimiter = semicolon\ndecimal = comma\n"
	         "thousands = point\ndate_format = DD-MM-YYYY\n"
	         "col.date = Datum\ncol.amount = Bedrag\ncol.currency = Valuta\n"
	         "col.budget_line = Post\ncol.voucher = Boekstuk\n"
	         "col.country = Land\ncol.description = Omschrijving\n",
	         amount, rounding);
	write_file(w->dir, "grant.ini", ini);
	write_file(w->dir, "lead.csv", lead ? lead : lead_csv);
	write_file(w->dir, "mem.csv", mem_csv);
	write_file(w->dir, "budget.csv", budget_csv);
	write_file(w->dir, "tranches.csv", tranches_csv);
	write_file(w->dir, "disbursements.csv", disbursements_csv);
	write_file(w->dir, "comments.csv", comments_csv);
	write_file(w->dir, "daily.csv", daily_csv);
	write_file(w->dir, "transfers.csv", transfers_csv);

	char *ini_path = ut_path(w->dir, "grant.ini");
	gr_grant_init(&w->grant);
	enum gr_status st = gr_grant_load(&w->grant, ini_path, &w->inputs,
	                                  &w->diags);
	free(ini_path);
	ck_assert_msg(st == GR_OK, "grant.ini:%s", ut_diags_text(&w->diags));
	st = gr_tables_load(&w->tables, &w->grant, &w->inputs, &w->diags);
	ck_assert_msg(st == GR_OK, "tables:%s", ut_diags_text(&w->diags));
	st = gr_fx_load(&w->fx, &w->grant, &w->inputs, &w->diags);
	ck_assert_msg(st == GR_OK, "rates:%s", ut_diags_text(&w->diags));
	st = gr_ledger_load(&w->ledger, &w->grant, &w->inputs, &w->diags);
	ck_assert_msg(st == GR_OK, "ledgers:%s", ut_diags_text(&w->diags));
	w->status = gr_reconcile(&w->recon, &w->grant, &w->tables, &w->fx,
	                         &w->ledger, &w->diags);
}

static void world_free(struct world *w)
{
	gr_recon_release(&w->recon);
	gr_ledger_release(&w->ledger);
	gr_fx_release(&w->fx);
	gr_tables_release(&w->tables);
	gr_grant_release(&w->grant);
	gr_inputs_release(&w->inputs);
	gr_diags_release(&w->diags);
	ut_rmtree(w->dir);
	free(w->dir);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcmp(s + n - k, suffix) == 0 && (n == k || s[n - k - 1] == '/');
}

/* Index in the ledger of `file`'s physical line `line`. */
static size_t line_index(const struct world *w, const char *file, long line)
{
	for (size_t i = 0; i < w->ledger.count; i++)
		if ((long)w->ledger.lines[i].line == line &&
		    ends_with(gr_line_input(&w->ledger, &w->ledger.lines[i])->path,
		              file))
			return i;
	ck_abort_msg("no ledger line %s:%ld", file, line);
	return 0;
}

static size_t count_findings(const struct gr_recon *r, const char *code)
{
	size_t n = 0;
	for (size_t i = 0; i < r->finding_count; i++)
		if (strcmp(r->findings[i].code, code) == 0)
			n++;
	return n;
}

/* The finding `code` at file:line (file NULL: about the grant; line < 0:
 * any line). */
static const struct gr_finding *finding_at(const struct gr_recon *r,
                                           const char *code, const char *file,
                                           long line)
{
	for (size_t i = 0; i < r->finding_count; i++) {
		const struct gr_finding *f = &r->findings[i];
		if (strcmp(f->code, code) != 0)
			continue;
		if (file ? !(f->file && ends_with(f->file, file)) : f->file != NULL)
			continue;
		if (line >= 0 && f->line != line)
			continue;
		return f;
	}
	return NULL;
}

static const char *findings_text(const struct gr_recon *r)
{
	static char t[8192];
	size_t cap = sizeof(t), len = 0;
	t[0] = '\0';
	for (size_t i = 0; i < r->finding_count && len + 600 < cap; i++)
		len += (size_t)snprintf(t + len, cap - len, "\n  %s %s:%ld %.400s",
		                        r->findings[i].code,
		                        r->findings[i].file ? r->findings[i].file : "-",
		                        r->findings[i].line, r->findings[i].message);
	return t;
}

#define expect_finding(r, code, file, line)                                  \
	ck_assert_msg(finding_at((r), (code), (file), (line)) != NULL,           \
	              "no %s finding at %s:%ld; findings:%s", (code),            \
	              (file) ? (file) : "(grant)", (long)(line),                 \
	              findings_text(r))

#define expect_count(r, code, n)                                             \
	ck_assert_msg(count_findings((r), (code)) == (n),                        \
	              "%zu %s findings, expected %d; findings:%s",               \
	              count_findings((r), (code)), (code), (int)(n),             \
	              findings_text(r))

#define expect_reconciled(w)                                                 \
	ck_assert_msg((w)->status == GR_OK, "gr_reconcile: %d:%s",               \
	              (int)(w)->status, ut_diags_text(&(w)->diags))

static const struct gr_line_result *line_result(const struct gr_recon *r,
                                                size_t member, const char *name)
{
	for (size_t i = 0; i < r->line_count; i++)
		if (r->lines[i].member == member && strcmp(r->lines[i].name, name) == 0)
			return &r->lines[i];
	ck_abort_msg("no budget line result for member %zu '%s'", member, name);
	return NULL;
}

/* ---- conversion ------------------------------------------------------------ */

struct conv_case {
	const char *file;
	long line;
	const char *half_up, *half_even;
	const char *rate; /* the rate used, NULL: grant currency (no rate) */
	bool eligible;
};

static const struct conv_case conv_cases[] = {
	{"lead.csv", 2, "11000", "11000", NULL, true},
	{"lead.csv", 3, "13", "12", "8/5", true},      /* 0.20 / 1.6 = 0.125 */
	{"lead.csv", 4, "14", "14", "8/5", true},      /* 0.216 / 1.6 = 0.135 */
	{"lead.csv", 5, "-13", "-12", "8/5", true},    /* -0.125 */
	{"lead.csv", 6, "150000", "150000", NULL, true},
	{"lead.csv", 7, "9999", "9999", NULL, false},  /* 2020-12-31 */
	{"lead.csv", 8, "1", "1", NULL, false},        /* 2022-01-01 */
	{"lead.csv", 12, "2500", "2500", NULL, true},  /* 25.0 */
	{"lead.csv", 13, "13", "12", NULL, true},      /* 0.125 EUR */
	{"mem.csv", 2, "13", "12", "125", true},       /* 15.625 / 125 */
	{"mem.csv", 3, "50000", "50000", "125", true}, /* 62500 / 125 */
	{"mem.csv", 4, "22002", "22002", "130", true}, /* 28602.60 / 130 */
	{"mem.csv", 5, "13", "12", "130", true},       /* 16.25 / 130 */
};

static void check_conversions(const struct world *w, bool half_even)
{
	for (size_t k = 0; k < sizeof(conv_cases) / sizeof(conv_cases[0]); k++) {
		const struct conv_case *c = &conv_cases[k];
		size_t i = line_index(w, c->file, c->line);
		const struct gr_converted *cv = &w->recon.converted[i];
		const char *want = half_even ? c->half_even : c->half_up;
		mpz_t cents;
		mpz_init(cents);
		gr_converted_cents(&w->recon, i, cents);
		ck_assert_msg(mpz_cmp_si(cents, atol(want)) == 0,
		              "%s:%ld (%s): %s cents, expected %s", c->file, c->line,
		              half_even ? "half-even" : "half-up", ut_z(cents),
		              want);
		mpz_clear(cents);
		ck_assert_msg(cv->eligible == c->eligible, "%s:%ld: eligible %d",
		              c->file, c->line, cv->eligible);
		if (c->rate) {
			ck_assert_msg(cv->rate < w->fx.rate_count, "%s:%ld: no rate",
			              c->file, c->line);
			ut_assert_q(w->fx.rates[cv->rate].value, c->rate);
			ck_assert(w->recon.rate_used[cv->rate]);
		} else {
			ck_assert_msg(cv->rate == GR_NO_RATE, "%s:%ld: a rate for EUR",
			              c->file, c->line);
		}
	}
}

START_TEST(test_conversion_half_up)
{
	struct world w;
	world_run(&w, "half-up", "10000.00", NULL);
	expect_reconciled(&w);
	check_conversions(&w, false);
	world_free(&w);
}
END_TEST

START_TEST(test_conversion_half_even)
{
	struct world w;
	world_run(&w, "half-even", "10000.00", NULL);
	expect_reconciled(&w);
	check_conversions(&w, true);
	world_free(&w);
}
END_TEST

/* ---- totals and members --------------------------------------------------- */

START_TEST(test_totals_half_up)
{
	struct world w;
	world_run(&w, "half-up", "10000.00", NULL);
	expect_reconciled(&w);
	const struct gr_totals *t = &w.recon.totals;
	ut_assert_z(t->budget, "180000");      /* ghost's 50.00 left out */
	ut_assert_z(t->actual, "248055");
	ut_assert_z(t->variance, "68055");
	ck_assert(t->has_variance_pct);
	ck_assert_str_eq(t->variance_pct, "37.81"); /* 68055/1800 = 37.808 */
	ut_assert_z(t->outside_period, "10000");    /* 99.99 + 0.01 */
	ut_assert_z(t->received, "150000");
	ut_assert_z(t->outstanding, "90000");       /* 500 + 300 + 100 */
	ut_assert_z(t->disbursed, "70000");
	ut_assert_z(t->over_ceiling, "0");
	ut_assert_q(t->exact_actual, "248053/100");
	ut_assert_q(t->rounding_difference, "1/50");

	const struct gr_member_result *lead = &w.recon.members[0];
	ut_assert_z(lead->budget, "110000");
	ut_assert_z(lead->actual, "176027");
	ut_assert_z(lead->variance, "66027");
	ut_assert_z(lead->disbursed, "80000");      /* 1500 received - 700 passed on */
	ut_assert_z(lead->position, "-96027");
	ck_assert_uint_eq(lead->lines, 10);
	const struct gr_member_result *mem = &w.recon.members[1];
	ut_assert_z(mem->budget, "70000");
	ut_assert_z(mem->actual, "72028");
	ut_assert_z(mem->variance, "2028");
	ut_assert_z(mem->disbursed, "70000");
	ut_assert_z(mem->position, "-2028");
	ck_assert_uint_eq(mem->lines, 4);
	world_free(&w);
}
END_TEST

START_TEST(test_totals_half_even)
{
	struct world w;
	world_run(&w, "half-even", "10000.00", NULL);
	expect_reconciled(&w);
	const struct gr_totals *t = &w.recon.totals;
	ut_assert_z(t->actual, "248052");
	ut_assert_z(t->variance, "68052");
	ck_assert_str_eq(t->variance_pct, "37.81"); /* 37.8066... */
	ut_assert_q(t->exact_actual, "248053/100");
	ut_assert_q(t->rounding_difference, "-1/100");
	ut_assert_z(w.recon.members[0].actual, "176026");
	ut_assert_z(w.recon.members[0].position, "-96026");
	ut_assert_z(w.recon.members[1].actual, "72026");
	ut_assert_z(w.recon.members[1].position, "-2026");
	world_free(&w);
}
END_TEST

/* ---- budget lines ----------------------------------------------------------- */

START_TEST(test_budget_lines)
{
	struct world w;
	world_run(&w, "half-up", "10000.00", NULL);
	expect_reconciled(&w);
	const struct gr_recon *r = &w.recon;
	/* lead: Staff, Travel (budget.csv order), then Equipment; mem: Staff,
	 * Travel */
	ck_assert_uint_eq(r->line_count, 5);
	static const struct { size_t member; const char *name; } order[] = {
		{0, "Staff"}, {0, "Travel"}, {0, "Equipment"}, {1, "Staff"},
		{1, "Travel"},
	};
	for (size_t i = 0; i < 5; i++) {
		ck_assert_uint_eq(r->lines[i].member, order[i].member);
		ck_assert_str_eq(r->lines[i].name, order[i].name);
	}

	/* 13 + 14 - 13 + 150000 + 2500 + 2500 + 13 = 155027: 55.027 % over,
	 * commented */
	const struct gr_line_result *l = line_result(r, 0, "Staff");
	ut_assert_z(l->budget, "100000");
	ut_assert_z(l->actual, "155027");
	ut_assert_z(l->variance, "55027");
	ck_assert(l->has_pct);
	ck_assert_str_eq(l->variance_pct, "55.03");
	ck_assert(l->over_threshold);
	ck_assert(l->budgeted);
	ck_assert_ptr_nonnull(l->comment);
	ck_assert_str_eq(l->comment,
	                 "Head office costs moved here, agreed with the donor");
	ck_assert_int_eq(l->budget_row_line, 2);

	/* exactly 10 % over a 10 % threshold: not above it */
	l = line_result(r, 0, "Travel");
	ut_assert_z(l->actual, "11000");
	ut_assert_z(l->variance, "1000");
	ck_assert_str_eq(l->variance_pct, "10.00");
	ck_assert(!l->over_threshold);
	ck_assert_ptr_null(l->comment);

	/* unbudgeted: no percentage, over whenever it has spending */
	l = line_result(r, 0, "Equipment");
	ck_assert(!l->budgeted);
	ut_assert_z(l->budget, "0");
	ut_assert_z(l->actual, "10000");
	ck_assert(!l->has_pct);
	ck_assert(l->over_threshold);
	ck_assert_int_eq(l->budget_row_line, 0);

	/* 50026 against 50000: 0.052 % */
	l = line_result(r, 1, "Staff");
	ut_assert_z(l->variance, "26");
	ck_assert_str_eq(l->variance_pct, "0.05");
	ck_assert(!l->over_threshold);

	/* 22002 against 20000: 10.01 %, above the threshold, no comment */
	l = line_result(r, 1, "Travel");
	ut_assert_z(l->variance, "2002");
	ck_assert_str_eq(l->variance_pct, "10.01");
	ck_assert(l->over_threshold);
	ck_assert_ptr_null(l->comment);
	ck_assert_int_eq(l->budget_row_line, 5);
	world_free(&w);
}
END_TEST

/* A negative variance beyond the threshold counts as well: budget 100.00,
 * actual 89.99 is 10.01 % under. */
START_TEST(test_underspending_threshold)
{
	static const char lead[] =
		"date,voucher,budget_line,country,currency,amount,description\n"
		"2021-01-04,V1,Travel,Kenya,EUR,89.99,\n"
		"2021-01-04,V2,Staff,Kenya,EUR,900.00,\n";
	struct world w;
	world_run(&w, "half-up", "10000.00", lead);
	expect_reconciled(&w);
	const struct gr_line_result *l = line_result(&w.recon, 0, "Travel");
	ut_assert_z(l->variance, "-1001");
	ck_assert_str_eq(l->variance_pct, "-10.01");
	ck_assert(l->over_threshold);
	expect_finding(&w.recon, "missing-comment", "budget.csv", 3);
	/* Staff: 900 against 1000 is exactly -10 %: not above; and it has a
	 * comment anyway */
	l = line_result(&w.recon, 0, "Staff");
	ck_assert_str_eq(l->variance_pct, "-10.00");
	ck_assert(!l->over_threshold);
	world_free(&w);
}
END_TEST

/* ---- periods and countries -------------------------------------------------- */

START_TEST(test_quarters_months_countries)
{
	struct world w;
	world_run(&w, "half-up", "10000.00", NULL);
	expect_reconciled(&w);
	const struct gr_recon *r = &w.recon;
	ck_assert_uint_eq(r->quarter_count, 4);
	static const char *const labels[] = {"2021-Q1", "2021-Q2", "2021-Q3",
	                                     "2021-Q4"};
	/* Q1: lead 11014 (January) + 150000 + 10000, mem 72028;
	 * Q2: 2500 + 2500 (May) + 13 (June) */
	static const char *const actual[] = {"243042", "5013", "0", "0"};
	static const char *const lead_actual[] = {"171014", "5013", "0", "0"};
	for (size_t q = 0; q < 4; q++) {
		ck_assert_str_eq(r->quarters[q].label, labels[q]);
		ut_assert_z(r->quarters[q].actual, actual[q]);
		ut_assert_z(r->quarters[q].by_member[0], lead_actual[q]);
	}
	ut_assert_z(r->quarters[0].by_member[1], "72028");
	ck_assert_int_eq(r->quarters[0].from, gr_date_from_ymd(2021, 1, 1));
	ck_assert_int_eq(r->quarters[0].to, gr_date_from_ymd(2021, 3, 31));
	ck_assert_int_eq(r->quarters[3].to, gr_date_from_ymd(2021, 12, 31));

	ck_assert_uint_eq(r->month_count, 12);
	ck_assert_str_eq(r->months[0].label, "2021-01");
	ut_assert_z(r->months[0].actual, "11027"); /* 11014 + mem's 13 */
	ut_assert_z(r->months[1].actual, "200000"); /* 1500.00 + 500.00 */
	ut_assert_z(r->months[2].actual, "32015");  /* 10000 + 22002 + 13 */
	ut_assert_z(r->months[4].actual, "5000");
	ut_assert_z(r->months[5].actual, "13");
	ck_assert_int_eq(r->months[1].to, gr_date_from_ymd(2021, 2, 28));

	/* Kenya, then the empty country (head office) last */
	ck_assert_uint_eq(r->country_count, 2);
	ck_assert_str_eq(r->countries[0].name, "Kenya");
	ut_assert_z(r->countries[0].actual, "98055");
	ck_assert_str_eq(r->countries[1].name, "");
	ut_assert_z(r->countries[1].actual, "150000");
	world_free(&w);
}
END_TEST

/* ---- funds ------------------------------------------------------------------ */

START_TEST(test_tranches)
{
	struct world w;
	world_run(&w, "half-up", "10000.00", NULL);
	expect_reconciled(&w);
	const struct gr_recon *r = &w.recon;
	/* the latest date in the inputs: the disbursement of 2022-01-15 */
	ck_assert_int_eq(r->as_of, gr_date_from_ymd(2022, 1, 15));
	ck_assert_int_eq(r->tranches[0].status, GR_TRANCHE_RECEIVED);
	/* due 2021-06-30, 199 days before 2022-01-15 */
	ck_assert_int_eq(r->tranches[1].status, GR_TRANCHE_OVERDUE);
	ck_assert_int_eq(r->tranches[1].days_overdue, 199);
	ck_assert_int_eq(r->tranches[2].status, GR_TRANCHE_OUTSTANDING);
	ck_assert_int_eq(r->tranches[2].days_overdue, 0);
	/* due on the as-of date itself: overdue by 0 days (docs/formats.md) */
	ck_assert_int_eq(r->tranches[3].status, GR_TRANCHE_OVERDUE);
	ck_assert_int_eq(r->tranches[3].days_overdue, 0);
	expect_count(r, "tranche-overdue", 2);
	expect_finding(r, "tranche-overdue", "tranches.csv", 3);
	expect_finding(r, "tranche-overdue", "tranches.csv", 5);
	ck_assert_str_eq(gr_tranche_status_name(GR_TRANCHE_RECEIVED), "received");
	ck_assert_str_eq(gr_tranche_status_name(GR_TRANCHE_OUTSTANDING),
	                 "outstanding");
	ck_assert_str_eq(gr_tranche_status_name(GR_TRANCHE_OVERDUE), "overdue");
	world_free(&w);
}
END_TEST

/* ---- findings --------------------------------------------------------------- */

START_TEST(test_findings)
{
	struct world w;
	world_run(&w, "half-up", "10000.00", NULL);
	expect_reconciled(&w);
	const struct gr_recon *r = &w.recon;

	expect_count(r, "outside-period", 2);
	expect_finding(r, "outside-period", "lead.csv", 7);
	expect_finding(r, "outside-period", "lead.csv", 8);

	/* 25.0 repeats 25.00 on line 11: one finding, at the later line, naming
	 * the earlier one */
	expect_count(r, "duplicate-booking", 1);
	expect_finding(r, "duplicate-booking", "lead.csv", 12);
	const struct gr_finding *f = finding_at(r, "duplicate-booking",
	                                        "lead.csv", 12);
	ck_assert_msg(strstr(f->message, "11") != NULL, "%s", f->message);

	expect_count(r, "unbudgeted-line", 1);
	expect_finding(r, "unbudgeted-line", "lead.csv", 9);

	/* only mem's Travel (10.01 %): lead's Staff has a comment, lead's
	 * Travel is exactly at 10 %, Equipment is unbudgeted */
	expect_count(r, "missing-comment", 1);
	expect_finding(r, "missing-comment", "budget.csv", 5);

	expect_count(r, "budget-unknown-member", 1);
	expect_finding(r, "budget-unknown-member", "budget.csv", 6);

	/* 1800.00 budgeted against a grant of 10000.00 */
	expect_count(r, "budget-total-mismatch", 1);
	expect_count(r, "over-ceiling", 0);

	/* K1 on 15 January, before mem's first KES transfer of 1 February */
	expect_count(r, "fx-fallback", 1);
	expect_finding(r, "fx-fallback", "mem.csv", 2);

	expect_count(r, "grant-currency-decimals", 1);
	expect_finding(r, "grant-currency-decimals", "lead.csv", 13);

	expect_count(r, "comment-unknown-line", 1);
	expect_finding(r, "comment-unknown-line", "comments.csv", 3);

	expect_count(r, "disbursed-over-received", 0);
	expect_count(r, "check-failed", 0);
	world_free(&w);
}
END_TEST

/* The same books against a grant of exactly the budget, 1800.00: no
 * mismatch, but 2480.55 - 1800.00 = 680.55 above the ceiling. */
START_TEST(test_ceiling)
{
	struct world w;
	world_run(&w, "half-up", "1800.00", NULL);
	expect_reconciled(&w);
	expect_count(&w.recon, "budget-total-mismatch", 0);
	expect_count(&w.recon, "over-ceiling", 1);
	expect_finding(&w.recon, "over-ceiling", NULL, -1);
	ut_assert_z(w.recon.totals.over_ceiling, "68055");
	world_free(&w);
}
END_TEST

START_TEST(test_checks)
{
	struct world w;
	world_run(&w, "half-even", "10000.00", NULL);
	expect_reconciled(&w);
	const struct gr_recon *r = &w.recon;
	static const char *const names[] = {
		"members = ledger", "budget lines = ledger", "countries = ledger",
		"quarters = ledger", "funds positions = received - actual",
	};
	ck_assert_uint_ge(r->check_count, 5);
	for (size_t i = 0; i < 5; i++)
		ck_assert_str_eq(r->checks[i].name, names[i]);
	for (size_t i = 0; i < r->check_count; i++) {
		ck_assert_msg(r->checks[i].ok, "check '%s' fails: %s against %s",
		              r->checks[i].name, ut_z(r->checks[i].left),
		              ut_z(r->checks[i].right));
		ck_assert(mpz_cmp(r->checks[i].left, r->checks[i].right) == 0);
	}
	ut_assert_z(r->checks[0].left, "248052");
	/* positions: 150000 received - 248052 actual */
	ut_assert_z(r->checks[4].right, "-98052");
	world_free(&w);
}
END_TEST

/* A foreign-currency line with no rate stops the run, naming its line. */
START_TEST(test_missing_rate)
{
	static const char lead[] =
		"date,voucher,budget_line,country,currency,amount,description\n"
		"2021-01-04,V1,Travel,Kenya,EUR,110.00,\n"
		"2021-01-03,V2,Staff,Kenya,USD,10.00,before the first USD rate\n"
		"2021-01-04,V3,Staff,Kenya,GBP,10.00,no GBP rates at all\n";
	struct world w;
	world_run(&w, "half-up", "10000.00", lead);
	ck_assert_int_eq(w.status, GR_E_INPUT);
	const struct gr_diag *d = ut_find_diag(&w.diags, 3, "USD");
	ck_assert_msg(d && d->file && ends_with(d->file, "lead.csv"),
	              "no error at lead.csv:3:%s", ut_diags_text(&w.diags));
	d = ut_find_diag(&w.diags, 4, "GBP");
	ck_assert_msg(d && d->file && ends_with(d->file, "lead.csv"),
	              "no error at lead.csv:4:%s", ut_diags_text(&w.diags));
	world_free(&w);
}
END_TEST

/* Books with no line at all (the first quarter, before any spending), and
 * no budget rows: everything is zero and every check holds. */
START_TEST(test_empty_books)
{
	struct world w;
	memset(&w, 0, sizeof(w));
	w.dir = ut_mkdir("recon-empty");
	write_file(w.dir, "grant.ini",
	           "[grant]\nname = Empty\ncurrency = EUR\namount = 100.00\n"
	           "start = 2021-01-01\nend = 2021-06-30\nbudget = budget.csv\n"
	           "tranches = tranches.csv\ndaily_rates = daily.csv\n"
	           "[member lead]\nrole = lead\nledger = lead.csv\nfx = daily\n");
	write_file(w.dir, "budget.csv", "member,budget_line,amount\n");
	write_file(w.dir, "tranches.csv", "tranche,amount,due,received\n");
	write_file(w.dir, "daily.csv", "date,currency,rate\n");
	write_file(w.dir, "lead.csv",
	           "date,voucher,budget_line,country,currency,amount\n");
	char *ini = ut_path(w.dir, "grant.ini");
	gr_grant_init(&w.grant);
	ck_assert_msg(gr_grant_load(&w.grant, ini, &w.inputs, &w.diags) == GR_OK,
	              "%s", ut_diags_text(&w.diags));
	free(ini);
	ck_assert_int_eq(gr_tables_load(&w.tables, &w.grant, &w.inputs, &w.diags),
	                 GR_OK);
	ck_assert_int_eq(gr_fx_load(&w.fx, &w.grant, &w.inputs, &w.diags), GR_OK);
	ck_assert_int_eq(gr_ledger_load(&w.ledger, &w.grant, &w.inputs, &w.diags),
	                 GR_OK);
	w.status = gr_reconcile(&w.recon, &w.grant, &w.tables, &w.fx, &w.ledger,
	                        &w.diags);
	expect_reconciled(&w);
	ut_assert_z(w.recon.totals.actual, "0");
	ut_assert_z(w.recon.totals.budget, "0");
	ut_assert_q(w.recon.totals.rounding_difference, "0");
	ck_assert(!w.recon.totals.has_variance_pct);
	ck_assert_uint_eq(w.recon.line_count, 0);
	ck_assert_uint_eq(w.recon.quarter_count, 2); /* 2021-Q1, 2021-Q2 */
	/* with nothing to go by, the as-of date is the end of the grant */
	ck_assert_int_eq(w.recon.as_of, gr_date_from_ymd(2021, 6, 30));
	for (size_t i = 0; i < w.recon.check_count; i++)
		ck_assert_msg(w.recon.checks[i].ok, "%s", w.recon.checks[i].name);
	expect_count(&w.recon, "budget-total-mismatch", 1); /* 0 against 100 */
	world_free(&w);
}
END_TEST

static Suite *reconcile_suite(void)
{
	Suite *s = suite_create("reconcile");
	TCase *tc = tcase_create("conversion");
	tcase_add_test(tc, test_conversion_half_up);
	tcase_add_test(tc, test_conversion_half_even);
	tcase_add_test(tc, test_missing_rate);
	suite_add_tcase(s, tc);
	tc = tcase_create("aggregates");
	tcase_add_test(tc, test_totals_half_up);
	tcase_add_test(tc, test_totals_half_even);
	tcase_add_test(tc, test_budget_lines);
	tcase_add_test(tc, test_underspending_threshold);
	tcase_add_test(tc, test_quarters_months_countries);
	tcase_add_test(tc, test_checks);
	tcase_add_test(tc, test_empty_books);
	suite_add_tcase(s, tc);
	tc = tcase_create("funds");
	tcase_add_test(tc, test_tranches);
	suite_add_tcase(s, tc);
	tc = tcase_create("findings");
	tcase_add_test(tc, test_findings);
	tcase_add_test(tc, test_ceiling);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return ut_main(reconcile_suite());
}
