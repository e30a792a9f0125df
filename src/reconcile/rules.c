/*
 * rules.c: the donor's rules against the reconciled figures (see rules.h
 * for what each rule computes).
 */
#include "grantrec/rules.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

struct rules_work {
	struct gr_rule_results *out;
	struct gr_diags *diags;
	bool oom;
};

static void rule_finding(struct rules_work *w, const char *code,
                         const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void rule_finding(struct rules_work *w, const char *code,
                         const char *fmt, ...)
{
	struct gr_rule_results *o = w->out;
	if (!gr_grow((void **)&o->findings, &o->finding_cap, o->finding_count + 1,
	             sizeof(*o->findings))) {
		w->oom = true;
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	char *message = gr_vasprintf(fmt, ap);
	va_end(ap);
	if (!message) {
		w->oom = true;
		return;
	}
	o->findings[o->finding_count++] = (struct gr_finding){
		.severity = GR_SEV_WARNING, .code = code, .message = message,
	};
	o->warnings++;
}

static const char *money(char buf[GR_MONEY_BUF], mpz_srcptr cents)
{
	return gr_cents_grouped(buf, cents);
}

/* allowed = base x pct / 100, rounded once by the grant's rule. */
static void share_of(mpz_t allowed, mpz_srcptr base, const struct gr_dec *pct,
                     enum gr_rounding rounding)
{
	mpz_t num, den;
	mpz_inits(num, den, NULL);
	mpz_mul(num, base, pct->coef);
	mpz_ui_pow_ui(den, 10, (unsigned long)pct->scale);
	mpz_mul_ui(den, den, 100);
	gr_div_round(allowed, num, den, rounding);
	mpz_clears(num, den, NULL);
}

static bool is_indirect(const struct gr_rules *rules, const char *name)
{
	for (size_t i = 0; i < rules->indirect_line_count; i++)
		if (strcmp(rules->indirect_lines[i], name) == 0)
			return true;
	return false;
}

/* Index of the first member x line of that name, or line_count. */
static size_t first_line_named(const struct gr_recon *r, const char *name)
{
	size_t i = 0;
	while (i < r->line_count && strcmp(r->lines[i].name, name) != 0)
		i++;
	return i;
}

/* "'Ops', 'Travel'": the grant's budget lines for a message, the first
 * few of them; NULL when out of memory. */
static char *budget_line_list(const struct gr_recon *r)
{
	enum { SHOWN = 12 };
	char *list = gr_strdup("");
	size_t shown = 0, more = 0;
	for (size_t i = 0; list && i < r->line_count; i++) {
		if (first_line_named(r, r->lines[i].name) != i)
			continue;
		if (shown == SHOWN) {
			more++;
			continue;
		}
		char q[160];
		char *next = gr_asprintf("%s%s'%s'", list, shown ? ", " : "",
		                         gr_quote_value(q, sizeof(q), r->lines[i].name));
		free(list);
		list = next;
		shown++;
	}
	if (list && more) {
		char *next = gr_asprintf("%s and %zu more", list, more);
		free(list);
		list = next;
	}
	return list;
}

/* The rules' own mistakes that only the budget lines reveal. */
static void check_rule_inputs(struct rules_work *w, const struct gr_grant *g,
                              const struct gr_recon *r)
{
	const struct gr_rules *rules = &g->rules;
	char q[160];
	if (rules->indirect_cap_set && rules->indirect_line_count == 0)
		gr_error(w->diags, g->ini_path, rules->indirect_cap_line,
		         "[rules] indirect_cap is given without indirect_lines: "
		         "name the budget lines that hold indirect costs, e.g. "
		         "indirect_lines = Indirect costs");
	for (size_t i = 0; i < rules->indirect_line_count; i++) {
		if (first_line_named(r, rules->indirect_lines[i]) < r->line_count)
			continue;
		char *known = budget_line_list(r);
		if (!known) {
			w->oom = true;
			return;
		}
		gr_error(w->diags, g->ini_path, rules->indirect_lines_line,
		         "[rules] indirect_lines names '%s', which is not a budget "
		         "line of the grant; expected one of %s (names are compared "
		         "exactly, as written in budget.csv)",
		         gr_quote_value(q, sizeof(q), rules->indirect_lines[i]),
		         *known ? known : "its budget lines (there are none)");
		free(known);
	}
}

/* ---- max_shift ---------------------------------------------------------- */

static void shift_finding(struct rules_work *w, const struct gr_grant *g,
                          const struct gr_rule_shift *s)
{
	char a[GR_MONEY_BUF], b[GR_MONEY_BUF], c[GR_MONEY_BUF], d[GR_MONEY_BUF];
	char q[160], lim[GR_MONEY_BUF];
	gr_quote_value(q, sizeof(q), s->name);
	gr_dec_str(lim, &g->rules.max_shift);
	if (!s->has_over_pct) {
		rule_finding(w, "rule-max-shift", "budget line '%s' has no budget "
		             "and actual %s: spending on it needs the donor's "
		             "approval (max_shift %s%%)", q, money(a, s->actual), lim);
		return;
	}
	rule_finding(w, "rule-max-shift", "budget line '%s': actual %s is %s "
	             "(%s%%) above its budget %s, more than the %s%% (%s) the "
	             "agreement allows without the donor's approval", q,
	             money(a, s->actual), money(b, s->over), s->over_pct,
	             money(c, s->budget), lim, money(d, s->allowed));
}

static void shift_figures(struct gr_rule_shift *s, const struct gr_grant *g)
{
	mpz_sub(s->over, s->actual, s->budget);
	share_of(s->allowed, s->budget, &g->rules.max_shift, g->rounding);
	s->has_over_pct = mpz_sgn(s->budget) != 0;
	if (s->has_over_pct) {
		/* Hundredths of a percent, printed as if cents. */
		mpz_t num, hundredths;
		mpz_inits(num, hundredths, NULL);
		mpz_mul_ui(num, s->over, 10000);
		gr_div_round(hundredths, num, s->budget, GR_ROUND_HALF_UP);
		gr_cents_str(s->over_pct, hundredths);
		mpz_clears(num, hundredths, NULL);
	}
	s->breach = s->has_over_pct ? mpz_cmp(s->over, s->allowed) > 0
	                            : mpz_sgn(s->actual) > 0;
}

static void check_max_shift(struct rules_work *w, const struct gr_grant *g,
                            const struct gr_recon *r)
{
	struct gr_rule_results *o = w->out;
	o->lines = gr_calloc(r->line_count ? r->line_count : 1, sizeof(*o->lines));
	if (!o->lines) {
		w->oom = true;
		return;
	}
	/* Budget lines of one name, summed over the members, in the order
	 * their first member x line appears. */
	for (size_t i = 0; i < r->line_count; i++) {
		const struct gr_line_result *lr = &r->lines[i];
		struct gr_rule_shift *s = NULL;
		for (size_t k = 0; k < o->line_count && !s; k++)
			if (strcmp(o->lines[k].name, lr->name) == 0)
				s = &o->lines[k];
		if (!s) {
			s = &o->lines[o->line_count++];
			s->name = lr->name;
			mpz_inits(s->budget, s->actual, s->over, s->allowed, NULL);
		}
		mpz_add(s->budget, s->budget, lr->budget);
		mpz_add(s->actual, s->actual, lr->actual);
	}
	for (size_t k = 0; k < o->line_count; k++) {
		struct gr_rule_shift *s = &o->lines[k];
		shift_figures(s, g);
		if (s->breach) {
			o->shift_breaches++;
			shift_finding(w, g, s);
		}
	}
}

/* ---- indirect_cap ------------------------------------------------------- */

static void indirect_init(struct gr_rule_indirect *x)
{
	mpz_inits(x->direct, x->indirect, x->allowed, x->excess, NULL);
}

static void indirect_clear(struct gr_rule_indirect *x)
{
	mpz_clears(x->direct, x->indirect, x->allowed, x->excess, NULL);
}

static void indirect_figures(struct gr_rule_indirect *x,
                             const struct gr_grant *g)
{
	share_of(x->allowed, x->direct, &g->rules.indirect_cap, g->rounding);
	mpz_sub(x->excess, x->indirect, x->allowed);
	x->breach = mpz_sgn(x->excess) > 0;
	if (!x->breach)
		mpz_set_ui(x->excess, 0);
}

static void indirect_finding(struct rules_work *w, const struct gr_grant *g,
                             const struct gr_rule_indirect *x,
                             const char *member)
{
	char a[GR_MONEY_BUF], b[GR_MONEY_BUF], c[GR_MONEY_BUF], d[GR_MONEY_BUF];
	char cap[GR_MONEY_BUF], who[120];
	gr_dec_str(cap, &g->rules.indirect_cap);
	if (member)
		snprintf(who, sizeof(who), "member '%s': ", member);
	else
		snprintf(who, sizeof(who), "the grant as a whole: ");
	rule_finding(w, "rule-indirect-cap", "%sindirect costs %s are %s above "
	             "the cap of %s%% of the direct costs %s (%s allowed)", who,
	             money(a, x->indirect), money(b, x->excess), cap,
	             money(c, x->direct), money(d, x->allowed));
}

static void check_indirect_cap(struct rules_work *w, const struct gr_grant *g,
                               const struct gr_recon *r)
{
	struct gr_rule_results *o = w->out;
	o->members = gr_calloc(g->member_count, sizeof(*o->members));
	if (!o->members) {
		w->oom = true;
		return;
	}
	for (size_t m = 0; m < g->member_count; m++)
		indirect_init(&o->members[m]);
	for (size_t i = 0; i < r->line_count; i++) {
		const struct gr_line_result *lr = &r->lines[i];
		struct gr_rule_indirect *x = &o->members[lr->member];
		bool indirect = is_indirect(&g->rules, lr->name);
		mpz_add(indirect ? x->indirect : x->direct,
		        indirect ? x->indirect : x->direct, lr->actual);
		mpz_add(indirect ? o->total.indirect : o->total.direct,
		        indirect ? o->total.indirect : o->total.direct, lr->actual);
	}
	for (size_t m = 0; m < g->member_count; m++) {
		indirect_figures(&o->members[m], g);
		if (o->members[m].breach) {
			o->indirect_breaches++;
			indirect_finding(w, g, &o->members[m], g->members[m].id);
		}
	}
	indirect_figures(&o->total, g);
	if (o->total.breach) {
		o->indirect_breaches++;
		indirect_finding(w, g, &o->total, NULL);
	}
}

/* ---- own_contribution --------------------------------------------------- */

static void check_own_contribution(struct rules_work *w,
                                   const struct gr_grant *g,
                                   const struct gr_recon *r)
{
	struct gr_rule_own *own = &w->out->own;
	const struct gr_rules *rules = &g->rules;
	mpz_set(own->total_costs, r->totals.actual);
	mpz_set(own->own_funds, r->totals.cover.own_contribution);
	if (rules->own_kind == GR_OWN_PERCENT)
		share_of(own->required, own->total_costs, &rules->own_percent,
		         g->rounding);
	else
		mpz_set(own->required, rules->own_amount);
	mpz_sub(own->shortfall, own->required, own->own_funds);
	own->breach = mpz_sgn(own->shortfall) > 0;
	if (!own->breach) {
		mpz_set_ui(own->shortfall, 0);
		return;
	}
	char a[GR_MONEY_BUF], b[GR_MONEY_BUF], c[GR_MONEY_BUF], d[GR_MONEY_BUF];
	char asked[200];
	if (rules->own_kind == GR_OWN_PERCENT)
		snprintf(asked, sizeof(asked), "the %s (%s%% of the total costs %s)",
		         money(b, own->required),
		         gr_dec_str(d, &rules->own_percent),
		         money(c, own->total_costs));
	else
		snprintf(asked, sizeof(asked), "the %s", money(b, own->required));
	rule_finding(w, "rule-own-contribution", "the members' own funds %s "
	             "(pre-financing the donor will not refund) are %s short of "
	             "%s the agreement asks them to bring", money(a, own->own_funds),
	             money(d, own->shortfall), asked);
}

/* ---- the whole ---------------------------------------------------------- */

bool gr_rules_any(const struct gr_rule_results *results)
{
	return results && (results->max_shift || results->indirect_cap ||
	                   results->own_contribution);
}

enum gr_status gr_rules_check(struct gr_rule_results *out,
                              const struct gr_grant *grant,
                              const struct gr_recon *recon,
                              struct gr_diags *diags)
{
	memset(out, 0, sizeof(*out));
	out->grant = grant;
	out->recon = recon;
	indirect_init(&out->total);
	mpz_inits(out->own.total_costs, out->own.own_funds, out->own.required,
	          out->own.shortfall, NULL);
	out->ready = true;
	struct rules_work w = { .out = out, .diags = diags };
	size_t errors = diags->errors;
	check_rule_inputs(&w, grant, recon);
	if (w.oom) {
		gr_error(diags, NULL, 0, "out of memory");
		return GR_E_SYSTEM;
	}
	if (diags->errors > errors)
		return GR_E_INPUT;
	const struct gr_rules *rules = &grant->rules;
	out->max_shift = rules->max_shift_set;
	out->indirect_cap = rules->indirect_cap_set;
	out->own_contribution = rules->own_kind != GR_OWN_NONE;
	if (out->max_shift)
		check_max_shift(&w, grant, recon);
	if (out->indirect_cap && !w.oom)
		check_indirect_cap(&w, grant, recon);
	if (out->own_contribution && !w.oom)
		check_own_contribution(&w, grant, recon);
	if (w.oom) {
		gr_error(diags, NULL, 0, "out of memory");
		return GR_E_SYSTEM;
	}
	return GR_OK;
}

void gr_rule_results_release(struct gr_rule_results *results)
{
	if (!results->ready)
		return;
	for (size_t k = 0; k < results->line_count; k++) {
		struct gr_rule_shift *s = &results->lines[k];
		mpz_clears(s->budget, s->actual, s->over, s->allowed, NULL);
	}
	free(results->lines);
	if (results->members)
		for (size_t m = 0; m < results->grant->member_count; m++)
			indirect_clear(&results->members[m]);
	free(results->members);
	indirect_clear(&results->total);
	mpz_clears(results->own.total_costs, results->own.own_funds,
	           results->own.required, results->own.shortfall, NULL);
	for (size_t i = 0; i < results->finding_count; i++)
		free(results->findings[i].message);
	free(results->findings);
	memset(results, 0, sizeof(*results));
}
