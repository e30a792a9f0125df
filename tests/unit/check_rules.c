/*
 * check_rules.c: the donor's rules on reconciliation results built in
 * memory (no files): each figure below is worked out by hand beside it.
 */
#include <stdlib.h>
#include <string.h>

#include "grantrec/rules.h"
#include "unit.h"

#define MAX_LINES 8

/* A grant of two members, a and b, and its member x line results. */
struct fixture {
	struct gr_grant grant;
	struct gr_member members[2];
	struct gr_recon recon;
	struct gr_line_result lines[MAX_LINES];
	char *indirect[2];
	struct gr_rule_results results;
	struct gr_diags diags;
	enum gr_status status;
};

static void set_pct(struct gr_dec *dec, const char *text)
{
	ck_assert_ptr_null(gr_dec_parse(dec, text, GR_NUMBER_PLAIN, 4));
}

static char ini_name[] = "grant.ini", id_a[] = "a", id_b[] = "b";

static void fixture_init(struct fixture *f, enum gr_rounding rounding)
{
	memset(f, 0, sizeof(*f));
	struct gr_grant *g = &f->grant;
	g->ini_path = ini_name;
	g->rounding = rounding;
	g->members = f->members;
	g->member_count = 2;
	f->members[0].id = id_a;
	f->members[1].id = id_b;
	gr_dec_init(&g->rules.max_shift);
	gr_dec_init(&g->rules.indirect_cap);
	gr_dec_init(&g->rules.own_percent);
	mpz_init(g->rules.own_amount);
	f->recon.grant = g;
	f->recon.lines = f->lines;
	mpz_inits(f->recon.totals.actual, f->recon.totals.cover.own_contribution,
	          NULL);
}

/* A member x line result: budget and actual in cents. */
static void add_line(struct fixture *f, size_t member, const char *name,
                     long budget, long actual)
{
	ck_assert_uint_lt(f->recon.line_count, MAX_LINES);
	struct gr_line_result *lr = &f->lines[f->recon.line_count++];
	lr->member = member;
	lr->name = name;
	mpz_init_set_si(lr->budget, budget);
	mpz_init_set_si(lr->actual, actual);
	mpz_add(f->recon.totals.actual, f->recon.totals.actual, lr->actual);
}

static void set_indirect(struct fixture *f, const char *cap, char *line)
{
	f->grant.rules.indirect_cap_set = true;
	f->grant.rules.indirect_cap_line = 7;
	set_pct(&f->grant.rules.indirect_cap, cap);
	if (line) {
		f->indirect[0] = line;
		f->grant.rules.indirect_lines = f->indirect;
		f->grant.rules.indirect_line_count = 1;
		f->grant.rules.indirect_lines_line = 6;
	}
}

static char overheads[] = "Overheads", overhead[] = "Overhead";

static void run(struct fixture *f)
{
	f->status = gr_rules_check(&f->results, &f->grant, &f->recon, &f->diags);
}

static void fixture_free(struct fixture *f)
{
	gr_rule_results_release(&f->results);
	for (size_t i = 0; i < f->recon.line_count; i++)
		mpz_clears(f->lines[i].budget, f->lines[i].actual, NULL);
	mpz_clears(f->recon.totals.actual, f->recon.totals.cover.own_contribution,
	           NULL);
	gr_dec_clear(&f->grant.rules.max_shift);
	gr_dec_clear(&f->grant.rules.indirect_cap);
	gr_dec_clear(&f->grant.rules.own_percent);
	mpz_clear(f->grant.rules.own_amount);
	gr_diags_release(&f->diags);
}

static size_t count_code(const struct gr_rule_results *r, const char *code)
{
	size_t n = 0;
	for (size_t i = 0; i < r->finding_count; i++)
		n += strcmp(r->findings[i].code, code) == 0;
	return n;
}

/* No [rules]: nothing checked, nothing found. */
START_TEST(test_no_rules)
{
	struct fixture f;
	fixture_init(&f, GR_ROUND_HALF_UP);
	add_line(&f, 0, "Ops", 100000, 500000);
	run(&f);
	ck_assert_int_eq(f.status, GR_OK);
	ck_assert(!gr_rules_any(&f.results));
	ck_assert_uint_eq(f.results.finding_count, 0);
	fixture_free(&f);
}
END_TEST

/* Budgets and actuals of one line name add up over the members, in the
 * order the names first appear; a line with no budget and no spending, or
 * with only a refund, is no breach. */
START_TEST(test_max_shift_consortium_wide)
{
	struct fixture f;
	fixture_init(&f, GR_ROUND_HALF_UP);
	f.grant.rules.max_shift_set = true;
	set_pct(&f.grant.rules.max_shift, "10");
	add_line(&f, 0, "Ops", 60000, 70000);      /* a: 16.67% above alone */
	add_line(&f, 0, "Travel", 50000, 0);
	add_line(&f, 1, "Ops", 40000, 40000);
	add_line(&f, 1, "Spare", 0, 0);
	add_line(&f, 1, "Refunds", 0, -500);
	run(&f);
	ck_assert_int_eq(f.status, GR_OK);
	const struct gr_rule_results *r = &f.results;
	ck_assert_uint_eq(r->line_count, 4);
	ck_assert_str_eq(r->lines[0].name, "Ops");
	ck_assert_str_eq(r->lines[1].name, "Travel");
	ck_assert_str_eq(r->lines[2].name, "Spare");
	/* Ops: 1000.00 budget, 1100.00 actual, 100.00 over, 100.00 allowed. */
	ut_assert_z(r->lines[0].budget, "100000");
	ut_assert_z(r->lines[0].actual, "110000");
	ut_assert_z(r->lines[0].over, "10000");
	ut_assert_z(r->lines[0].allowed, "10000");
	ck_assert_str_eq(r->lines[0].over_pct, "10.00");
	ck_assert(!r->lines[0].breach);
	/* Travel: -500.00 / 500.00 = -100.00%. */
	ck_assert_str_eq(r->lines[1].over_pct, "-100.00");
	ck_assert(!r->lines[2].has_over_pct && !r->lines[2].breach);
	ck_assert(!r->lines[3].breach);
	ck_assert_uint_eq(r->shift_breaches, 0);
	ck_assert_uint_eq(r->finding_count, 0);
	fixture_free(&f);
}
END_TEST

/* 12.5% of a budget of 1.00 is 0.125: half-up allows 0.13, half-even 0.12,
 * so 0.13 over is within the limit only under half-up. */
START_TEST(test_max_shift_rounds_by_the_grant_rule)
{
	enum gr_rounding modes[] = {GR_ROUND_HALF_UP, GR_ROUND_HALF_EVEN};
	const char *allowed[] = {"13", "12"};
	for (int k = 0; k < 2; k++) {
		struct fixture f;
		fixture_init(&f, modes[k]);
		f.grant.rules.max_shift_set = true;
		set_pct(&f.grant.rules.max_shift, "12.5");
		add_line(&f, 0, "Ops", 100, 113);
		run(&f);
		ck_assert_int_eq(f.status, GR_OK);
		ut_assert_z(f.results.lines[0].allowed, allowed[k]);
		ck_assert_int_eq(f.results.lines[0].breach, k == 1);
		ck_assert_uint_eq(count_code(&f.results, "rule-max-shift"),
		                  (size_t)(k == 1));
		/* 0.13 / 1.00 = 13.00%. */
		ck_assert_str_eq(f.results.lines[0].over_pct, "13.00");
		fixture_free(&f);
	}
}
END_TEST

/* A cent past the limit, and a line with no budget but spending. */
START_TEST(test_max_shift_breaches)
{
	struct fixture f;
	fixture_init(&f, GR_ROUND_HALF_UP);
	f.grant.rules.max_shift_set = true;
	set_pct(&f.grant.rules.max_shift, "10");
	add_line(&f, 0, "Ops", 100000, 110001);
	add_line(&f, 1, "Gifts", 0, 500);
	run(&f);
	const struct gr_rule_results *r = &f.results;
	ck_assert_int_eq(f.status, GR_OK);
	ck_assert(r->lines[0].breach && r->lines[1].breach);
	ck_assert_uint_eq(r->shift_breaches, 2);
	ck_assert_uint_eq(r->warnings, 2);
	ck_assert_uint_eq(count_code(r, "rule-max-shift"), 2);
	ck_assert_int_eq(r->findings[0].severity, GR_SEV_WARNING);
	ck_assert_ptr_nonnull(strstr(r->findings[0].message, "'Ops'"));
	ck_assert_ptr_nonnull(strstr(r->findings[0].message, "100.01 (10.00%)"));
	ck_assert_ptr_nonnull(strstr(r->findings[0].message, "10% (100.00)"));
	ck_assert_ptr_nonnull(strstr(r->findings[1].message, "no budget"));
	fixture_free(&f);
}
END_TEST

/* Per member the cap is 7% of its own direct costs; the total's is 7% of
 * the total direct costs, rounded once: 100.05 x 7% = 7.0035 -> 7.00 for
 * each member, 200.10 x 7% = 14.007 -> 14.01 for the grant. */
START_TEST(test_indirect_cap_rounded_once)
{
	struct fixture f;
	fixture_init(&f, GR_ROUND_HALF_UP);
	set_indirect(&f, "7", overheads);
	add_line(&f, 0, "Ops", 0, 10005);
	add_line(&f, 0, "Overheads", 0, 701);
	add_line(&f, 1, "Ops", 0, 10005);
	add_line(&f, 1, "Overheads", 0, 700);
	run(&f);
	const struct gr_rule_results *r = &f.results;
	ck_assert_int_eq(f.status, GR_OK);
	ut_assert_z(r->members[0].direct, "10005");
	ut_assert_z(r->members[0].indirect, "701");
	ut_assert_z(r->members[0].allowed, "700");
	ut_assert_z(r->members[0].excess, "1");
	ck_assert(r->members[0].breach);
	ut_assert_z(r->members[1].allowed, "700");
	ut_assert_z(r->members[1].excess, "0");
	ck_assert(!r->members[1].breach);
	/* 14.01 indirect against 14.01 allowed: the total holds. */
	ut_assert_z(r->total.direct, "20010");
	ut_assert_z(r->total.indirect, "1401");
	ut_assert_z(r->total.allowed, "1401");
	ck_assert(!r->total.breach);
	ck_assert_uint_eq(r->indirect_breaches, 1);
	ck_assert_uint_eq(count_code(r, "rule-indirect-cap"), 1);
	ck_assert_ptr_nonnull(strstr(r->findings[0].message, "member 'a'"));
	fixture_free(&f);
}
END_TEST

/* 1.50 x 7% = 0.105: half-up 0.11, half-even 0.10. */
START_TEST(test_indirect_cap_tie)
{
	enum gr_rounding modes[] = {GR_ROUND_HALF_UP, GR_ROUND_HALF_EVEN};
	const char *allowed[] = {"11", "10"};
	for (int k = 0; k < 2; k++) {
		struct fixture f;
		fixture_init(&f, modes[k]);
		set_indirect(&f, "7", overheads);
		add_line(&f, 0, "Ops", 0, 150);
		add_line(&f, 0, "Overheads", 0, 11);
		run(&f);
		ut_assert_z(f.results.members[0].allowed, allowed[k]);
		ut_assert_z(f.results.total.allowed, allowed[k]);
		ck_assert_int_eq(f.results.total.breach, k == 1);
		fixture_free(&f);
	}
}
END_TEST

START_TEST(test_indirect_lines_unknown)
{
	struct fixture f;
	fixture_init(&f, GR_ROUND_HALF_UP);
	set_indirect(&f, "7", overhead);
	add_line(&f, 0, "Ops", 0, 100);
	add_line(&f, 0, "Overheads", 0, 7);
	run(&f);
	ck_assert_int_eq(f.status, GR_E_INPUT);
	const struct gr_diag *d = ut_find_diag(&f.diags, 6, "'Overhead', which "
	                                       "is not a budget line");
	ck_assert_msg(d != NULL, "%s", ut_diags_text(&f.diags));
	ck_assert_str_eq(d->file, "grant.ini");
	ck_assert_ptr_nonnull(strstr(d->message, "'Ops', 'Overheads'"));
	fixture_free(&f);
}
END_TEST

START_TEST(test_indirect_cap_without_lines)
{
	struct fixture f;
	fixture_init(&f, GR_ROUND_HALF_UP);
	set_indirect(&f, "7", NULL);
	add_line(&f, 0, "Ops", 0, 100);
	run(&f);
	ck_assert_int_eq(f.status, GR_E_INPUT);
	ck_assert_msg(ut_find_diag(&f.diags, 7, "without indirect_lines") != NULL,
	              "%s", ut_diags_text(&f.diags));
	fixture_free(&f);
}
END_TEST

/* 10% of 1111.10 = 111.11 asked; own funds 111.10 are 0.01 short, 111.11
 * meet it. An amount is asked as it stands. */
START_TEST(test_own_contribution)
{
	struct fixture f;
	fixture_init(&f, GR_ROUND_HALF_UP);
	f.grant.rules.own_kind = GR_OWN_PERCENT;
	set_pct(&f.grant.rules.own_percent, "10");
	add_line(&f, 0, "Ops", 100000, 111110);
	mpz_set_si(f.recon.totals.cover.own_contribution, 11110);
	run(&f);
	const struct gr_rule_own *o = &f.results.own;
	ut_assert_z(o->total_costs, "111110");
	ut_assert_z(o->required, "11111");
	ut_assert_z(o->shortfall, "1");
	ck_assert(o->breach);
	ck_assert_uint_eq(count_code(&f.results, "rule-own-contribution"), 1);
	gr_rule_results_release(&f.results);

	mpz_set_si(f.recon.totals.cover.own_contribution, 11111);
	run(&f);
	ck_assert(!f.results.own.breach);
	ut_assert_z(f.results.own.shortfall, "0");
	gr_rule_results_release(&f.results);

	f.grant.rules.own_kind = GR_OWN_AMOUNT;
	mpz_set_si(f.grant.rules.own_amount, 20000);
	run(&f);
	ut_assert_z(f.results.own.required, "20000");
	ut_assert_z(f.results.own.shortfall, "8889");
	ck_assert(f.results.own.breach);
	fixture_free(&f);
}
END_TEST

static Suite *rules_suite(void)
{
	Suite *s = suite_create("rules");
	TCase *tc = tcase_create("rules");
	tcase_add_test(tc, test_no_rules);
	tcase_add_test(tc, test_max_shift_consortium_wide);
	tcase_add_test(tc, test_max_shift_rounds_by_the_grant_rule);
	tcase_add_test(tc, test_max_shift_breaches);
	tcase_add_test(tc, test_indirect_cap_rounded_once);
	tcase_add_test(tc, test_indirect_cap_tie);
	tcase_add_test(tc, test_indirect_lines_unknown);
	tcase_add_test(tc, test_indirect_cap_without_lines);
	tcase_add_test(tc, test_own_contribution);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return ut_main(rules_suite());
}
