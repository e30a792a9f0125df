#include <string.h>

#include "grantrec/changes.h"
#include "grantrec/report.h"
#include "grantrec/rules.h"

static const char *m(char buf[GR_MONEY_BUF], mpz_srcptr cents)
{
	return gr_cents_grouped(buf, cents);
}

/* Display width of UTF-8 text: code points, not bytes (good enough for
 * the Latin and Spanish names ledgers hold). */
static int width(const char *s)
{
	int w = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p & 0xc0) != 0x80)
			w++;
	return w;
}

static void pad_right(FILE *out, const char *s, int cols)
{
	fputs(s, out);
	for (int w = width(s); w < cols; w++)
		fputc(' ', out);
}

static void row(FILE *out, const char *label, int label_cols,
                const char *const *cells, int ncells)
{
	fputs("  ", out);
	pad_right(out, label, label_cols);
	for (int i = 0; i < ncells; i++)
		fprintf(out, " %16s", cells[i]);
	fputc('\n', out);
}

static void print_scope(FILE *out, const struct gr_recon *r)
{
	char asof[11], from[11];
	if (r->quarter >= 0)
		fprintf(out, "Quarter %s: %s to %s, beside the cumulative figures to "
		        "its end\n", r->quarters[r->quarter].label,
		        gr_date_iso(from, r->quarters[r->quarter].from),
		        gr_date_iso(asof, r->as_of));
	else if (r->as_of_given)
		fprintf(out, "As of %s: only what is dated on or before it counts\n",
		        gr_date_iso(asof, r->as_of));
	else
		fprintf(out, "Everything in the files; tranches and positions as of "
		        "%s, the latest date inside the grant period\n",
		        gr_date_iso(asof, r->as_of));
	if (r->budget_count > 1) {
		char approved[11];
		if (r->budget.number == 1)
			fprintf(out, "Budget in force: the original (%s); no revision was "
			        "approved by %s\n", r->budget.path,
			        gr_date_iso(asof, r->as_of));
		else
			fprintf(out, "Budget in force: revision %u (%s), approved %s\n",
			        r->budget.number, r->budget.path,
			        gr_date_iso(approved, r->budget.approved));
	}
	if (r->lines_after_as_of)
		fprintf(out, "%zu ledger line%s dated after %s left out\n",
		        r->lines_after_as_of, r->lines_after_as_of == 1 ? "" : "s",
		        gr_date_iso(asof, r->as_of));
}

static void print_quarter(FILE *out, const struct gr_recon *r, int label_cols)
{
	const struct gr_grant *g = r->grant;
	char a[GR_MONEY_BUF], b[GR_MONEY_BUF], c[GR_MONEY_BUF];
	fprintf(out, "\nQuarter %s beside the cumulative figures (%s)\n",
	        r->quarters[r->quarter].label, g->currency);
	const char *head[] = {"quarter", "cumulative", "budget"};
	row(out, "", label_cols, head, 3);
	for (size_t i = 0; i < g->member_count; i++) {
		const struct gr_member_result *mr = &r->members[i];
		const char *cells[] = {m(a, mr->quarter_actual), m(b, mr->actual),
		                       m(c, mr->budget)};
		row(out, g->members[i].id, label_cols, cells, 3);
	}
	const char *total[] = {m(a, r->totals.quarter_actual),
	                       m(b, r->totals.actual), m(c, r->totals.budget)};
	row(out, "total", label_cols, total, 3);
	fprintf(out, "  received in the quarter %s, passed on %s\n",
	        m(a, r->totals.quarter_received), m(b, r->totals.quarter_disbursed));
}

static void print_forecast(FILE *out, const struct gr_recon *r, int label_cols)
{
	const struct gr_grant *g = r->grant;
	char a[GR_MONEY_BUF], b[GR_MONEY_BUF], from[11], to[11];
	fprintf(out, "\nBurn rate and forecast (%s; %s%% of the period elapsed; "
	        "burn rate over %s to %s)\n", g->currency,
	        r->totals.forecast.elapsed_pct,
	        gr_date_iso(from, r->totals.forecast.window_from),
	        gr_date_iso(to, r->totals.forecast.window_to));
	const char *head[] = {"spent %", "per month", "projected", "vs budget %"};
	row(out, "", label_cols, head, 4);
	for (size_t i = 0; i <= g->member_count; i++) {
		const struct gr_forecast *f = i < g->member_count
			? &r->members[i].forecast : &r->totals.forecast;
		const char *cells[] = {
			f->has_spent_pct ? f->spent_pct : "", m(a, f->burn_monthly),
			m(b, f->projected), f->has_projected_pct ? f->projected_pct : "",
		};
		row(out, i < g->member_count ? g->members[i].id : "total", label_cols,
		    cells, 4);
	}
}

static void print_fx_effect(FILE *out, const struct gr_recon *r, int label_cols)
{
	const struct gr_grant *g = r->grant;
	char a[GR_MONEY_BUF], b[GR_MONEY_BUF], c[GR_MONEY_BUF], d[GR_MONEY_BUF];
	fprintf(out, "\nWhy actual differs from budget: budget + spending effect + "
	        "rate effect = actual (%s)\n", g->currency);
	const char *head[] = {"budget", "spending", "rate", "actual"};
	row(out, "", label_cols, head, 4);
	for (size_t i = 0; i <= g->member_count; i++) {
		mpz_srcptr budget = i < g->member_count ? r->members[i].budget
		                                        : r->totals.budget;
		mpz_srcptr actual = i < g->member_count ? r->members[i].actual
		                                        : r->totals.actual;
		const struct gr_fx_effect *fe = i < g->member_count
			? &r->members[i].fx_effect : &r->totals.fx_effect;
		const char *cells[] = {m(a, budget), m(b, fe->spending_effect),
		                       m(c, fe->rate_effect), m(d, actual)};
		row(out, i < g->member_count ? g->members[i].id : "total", label_cols,
		    cells, 4);
	}
}

static void print_changes(FILE *out, const struct gr_changes *c,
                          size_t max_lines)
{
	const struct gr_recon *b = c->before, *n = c->now;
	char a[GR_MONEY_BUF], d[GR_MONEY_BUF], e[GR_MONEY_BUF], day[11];
	fprintf(out, "\nChanges since the previous report (books to %s): %zu "
	        "late booking%s, %zu removed, %zu changed; %zu new line%s after "
	        "it\n", gr_date_iso(day, c->reported_to), c->late,
	        c->late == 1 ? "" : "s",
	        c->removed, c->changed, c->new_after,
	        c->new_after == 1 ? "" : "s");
	for (size_t i = 0; i < c->line_count && i < max_lines; i++) {
		const struct gr_line_change *lc = &c->lines[i];
		const struct gr_recon *r = lc->now != GR_NO_LINE ? n : b;
		size_t idx = lc->now != GR_NO_LINE ? lc->now : lc->before;
		const struct gr_line *line = &r->ledger->lines[idx];
		fprintf(out, "  %s:%ld: %s: voucher '%s' of %s, %s %s",
		        gr_line_input(r->ledger, line)->path, (long)line->line,
		        gr_change_kind_name(lc->kind), line->voucher,
		        gr_date_iso(day, line->date),
		        gr_line_amount_str(a, r->ledger, line), line->currency);
		if (lc->kind == GR_CHANGE_CHANGED) {
			const struct gr_line *was = &b->ledger->lines[lc->before];
			mpz_t cents;
			mpz_init(cents);
			gr_converted_cents(b, lc->before, cents);
			fprintf(out, " (was %s %s, %s)",
			        gr_line_amount_str(d, b->ledger, was), was->currency,
			        m(e, cents));
			mpz_clear(cents);
		}
		fputc('\n', out);
	}
	if (c->line_count > max_lines)
		fprintf(out, "  ... and %zu more\n", c->line_count - max_lines);
	bool any = false;
	for (size_t i = 0; i < c->restated_count; i++) {
		const struct gr_restated *q = &c->restated[i];
		if (mpz_sgn(q->difference) == 0)
			continue;
		if (!any)
			fprintf(out, "  restated (%s):\n", n->grant->currency);
		any = true;
		fprintf(out, "    %-8s %-10s reported %16s  now %16s  (%s)\n",
		        q->quarter, q->member, m(a, q->before), m(d, q->now),
		        m(e, q->difference));
	}
	if (!any)
		fputs("  no quarter's figure changed\n", out);
}

static const char *verdict(bool breach)
{
	return breach ? "BREACH" : "ok";
}

/* True when a's share above its budget is larger than b's (a line with
 * no budget has the largest share of all). */
static bool larger_share(const struct gr_rule_shift *a,
                         const struct gr_rule_shift *b)
{
	if (!a->has_over_pct || !b->has_over_pct)
		return !a->has_over_pct && b->has_over_pct;
	mpz_t left, right;
	mpz_inits(left, right, NULL);
	mpz_mul(left, a->over, b->budget);
	mpz_mul(right, b->over, a->budget);
	bool larger = mpz_cmp(left, right) > 0;
	mpz_clears(left, right, NULL);
	return larger;
}

/* The line past max_shift by the largest share, to name in the summary;
 * NULL when none is past it. */
static const struct gr_rule_shift *worst_shift(const struct gr_rule_results *x)
{
	const struct gr_rule_shift *worst = NULL;
	for (size_t i = 0; i < x->line_count; i++)
		if (x->lines[i].breach && (!worst || larger_share(&x->lines[i], worst)))
			worst = &x->lines[i];
	return worst;
}

/* Each rule given: a line with its limit and verdict, then its figures. */
static void print_rules(FILE *out, const struct gr_rule_results *x)
{
	const struct gr_grant *g = x->grant;
	char a[GR_MONEY_BUF], b[GR_MONEY_BUF], c[GR_MONEY_BUF], p[GR_MONEY_BUF];
	fprintf(out, "\nDonor rules (%s)\n", g->currency);
	if (x->max_shift) {
		fprintf(out, "  max_shift %s%% per budget line, all members: %s\n"
		        "    %zu of %zu line%s past it", gr_dec_str(p, &g->rules.max_shift),
		        verdict(x->shift_breaches > 0), x->shift_breaches,
		        x->line_count, x->line_count == 1 ? "" : "s");
		const struct gr_rule_shift *w = worst_shift(x);
		char q[160];
		if (w && w->has_over_pct)
			fprintf(out, "; the largest: '%s', %s%% above",
			        gr_quote_value(q, sizeof(q), w->name), w->over_pct);
		else if (w)
			fprintf(out, "; the largest: '%s', with no budget",
			        gr_quote_value(q, sizeof(q), w->name));
		fputc('\n', out);
	}
	if (x->indirect_cap) {
		const struct gr_rule_indirect *t = &x->total;
		fprintf(out, "  indirect_cap %s%% of the direct costs: %s\n"
		        "    direct %s, allowed %s, indirect %s",
		        gr_dec_str(p, &g->rules.indirect_cap), verdict(t->breach),
		        m(a, t->direct), m(b, t->allowed), m(c, t->indirect));
		if (t->breach)
			fprintf(out, ": %s above", m(a, t->excess));
		fputc('\n', out);
		size_t shown = 0;
		for (size_t i = 0; i < g->member_count; i++) {
			if (!x->members[i].breach)
				continue;
			fprintf(out, "%s%s %s", shown++ ? ", " : "    members past "
			        "the cap: ", g->members[i].id,
			        m(a, x->members[i].excess));
		}
		if (shown)
			fputc('\n', out);
	}
	if (x->own_contribution) {
		const struct gr_rule_own *o = &x->own;
		if (g->rules.own_kind == GR_OWN_PERCENT)
			fprintf(out, "  own_contribution %s%% of the total costs: %s\n",
			        gr_dec_str(p, &g->rules.own_percent), verdict(o->breach));
		else
			fprintf(out, "  own_contribution %s: %s\n", m(p, o->required),
			        verdict(o->breach));
		fprintf(out, "    total costs %s, asked %s, own funds %s",
		        m(a, o->total_costs), m(b, o->required), m(c, o->own_funds));
		if (o->breach)
			fprintf(out, ": %s short", m(a, o->shortfall));
		fputc('\n', out);
	}
}

static void print_finding(FILE *out, const struct gr_finding *f)
{
	fputs("  ", out);
	if (f->file && f->line > 0)
		fprintf(out, "%s:%ld: ", f->file, f->line);
	else if (f->file)
		fprintf(out, "%s: ", f->file);
	fprintf(out, "%s: %s [%s]\n",
	        f->severity == GR_SEV_NOTE ? "note"
	        : f->severity == GR_SEV_ERROR ? "error" : "warning",
	        f->message, f->code);
}

/* The reconciliation's findings, then the rules', at most `max` of all. */
static void print_findings(FILE *out, const struct gr_recon *r,
                           const struct gr_rule_results *x, size_t max)
{
	size_t rule_count = x ? x->finding_count : 0;
	size_t count = r->finding_count + rule_count;
	size_t warnings = r->warnings + (x ? x->warnings : 0);
	fprintf(out, "\nFindings: %zu (%zu warning%s)\n", count, warnings,
	        warnings == 1 ? "" : "s");
	for (size_t i = 0; i < count && i < max; i++)
		print_finding(out, i < r->finding_count ? &r->findings[i]
		              : &x->findings[i - r->finding_count]);
	if (count > max)
		fprintf(out, "  ... and %zu more (--findings N shows more; the JSON "
		        "and the workbook list all)\n", count - max);
}

void gr_report_text(FILE *out, const struct gr_report_context *ctx,
                    size_t max_findings)
{
	const struct gr_recon *r = ctx->recon;
	const struct gr_grant *g = r->grant;
	const struct gr_totals *t = &r->totals;
	char a[GR_MONEY_BUF], b[GR_MONEY_BUF], c[GR_MONEY_BUF];
	char from[11], to[11];

	fprintf(out, "%s", g->name);
	if (g->donor && *g->donor)
		fprintf(out, " - %s", g->donor);
	if (g->reference && *g->reference)
		fprintf(out, ", reference %s", g->reference);
	fprintf(out, "\nGrant period %s to %s; %s, rounding %s, threshold %s%%\n",
	        gr_date_iso(from, g->start), gr_date_iso(to, g->end), g->currency,
	        gr_rounding_name(g->rounding), gr_dec_str(a, &g->threshold));
	print_scope(out, r);
	fputc('\n', out);

	int label_cols = 12;
	for (size_t i = 0; i < g->member_count; i++) {
		int w = width(g->members[i].id) + 7;
		if (w > label_cols)
			label_cols = w;
	}
	const char *head[] = {"budget", "actual", "variance", "variance %"};
	row(out, "", label_cols, head, 4);
	for (size_t i = 0; i < g->member_count; i++) {
		const struct gr_member_result *mr = &r->members[i];
		char label[96];
		snprintf(label, sizeof(label), "%s%s", g->members[i].id,
		         g->members[i].lead ? " (lead)" : "");
		const char *cells[] = {m(a, mr->budget), m(b, mr->actual),
		                       m(c, mr->variance),
		                       mr->has_variance_pct ? mr->variance_pct : ""};
		row(out, label, label_cols, cells, 4);
	}
	const char *total[] = {m(a, t->budget), m(b, t->actual), m(c, t->variance),
	                       t->has_variance_pct ? t->variance_pct : ""};
	row(out, "total", label_cols, total, 4);

	fprintf(out, "\nFunds (%s)\n", g->currency);
	const char *fhead[] = {"disbursed", "actual", "position"};
	row(out, "", label_cols, fhead, 3);
	for (size_t i = 0; i < g->member_count; i++) {
		const struct gr_member_result *mr = &r->members[i];
		const char *cells[] = {m(a, mr->disbursed), m(b, mr->actual),
		                       m(c, mr->position)};
		fputs("  ", out);
		pad_right(out, g->members[i].id, label_cols);
		fprintf(out, " %16s %16s %16s  %s\n", cells[0], cells[1], cells[2],
		        mpz_sgn(mr->position) < 0 ? "pre-financed"
		        : mpz_sgn(mr->position) > 0 ? "unspent advance" : "");
	}
	fprintf(out, "  received %s, outstanding %s, over the ceiling %s\n",
	        m(a, t->received), m(b, t->outstanding), m(c, t->over_ceiling));
	for (size_t i = 0; i < r->tables->tranche_count; i++) {
		const struct gr_tranche *tr = &r->tables->tranches[i];
		const struct gr_tranche_result *tres = &r->tranches[i];
		fprintf(out, "  tranche %-10s %16s  due %s  ", tr->name,
		        m(a, tr->amount), gr_date_iso(from, tr->due));
		if (tres->status == GR_TRANCHE_RECEIVED)
			fprintf(out, "received %s\n", gr_date_iso(to, tr->received));
		else if (tres->status == GR_TRANCHE_OVERDUE)
			fprintf(out, "OVERDUE by %ld day%s\n", tres->days_overdue,
			        tres->days_overdue == 1 ? "" : "s");
		else
			fprintf(out, "outstanding\n");
	}

	if (r->quarter >= 0)
		print_quarter(out, r, label_cols);
	if (r->as_of_given && r->as_of < g->end)
		print_forecast(out, r, label_cols);
	if (r->has_fx_effect)
		print_fx_effect(out, r, label_cols);

	if (ctx->changes)
		print_changes(out, ctx->changes, max_findings);

	fprintf(out, "\nQuarters (%s)\n", g->currency);
	for (size_t i = 0; i < r->quarter_count; i++)
		fprintf(out, "  %-8s %s to %s %16s\n", r->quarters[i].label,
		        gr_date_iso(from, r->quarters[i].from),
		        gr_date_iso(to, r->quarters[i].to),
		        m(a, r->quarters[i].actual));
	fprintf(out, "\nCountries (%s)\n", g->currency);
	for (size_t i = 0; i < r->country_count; i++) {
		fputs("  ", out);
		pad_right(out, *r->countries[i].name ? r->countries[i].name
		                                     : "(no country)", 24);
		fprintf(out, " %16s\n", m(a, r->countries[i].actual));
	}

	fprintf(out, "\nLines outside the period: %s; rounding difference: %s "
	        "(%s)\n", m(a, t->outside_period),
	        gr_mpq_str(b, t->rounding_difference, 6),
	        gr_rounding_name(g->rounding));
	size_t failed = 0;
	for (size_t i = 0; i < r->check_count; i++)
		failed += !r->checks[i].ok;
	if (failed == 0) {
		fprintf(out, "Cross-checks: all %zu hold (members = budget lines = "
		        "countries = quarters = ledger; positions = received - "
		        "actual%s)\n", r->check_count, r->has_fx_effect
		        ? "; budget + spending effect + rate effect = actual" : "");
	} else {
		for (size_t i = 0; i < r->check_count; i++)
			if (!r->checks[i].ok)
				fprintf(out, "Cross-check FAILED: %s: %s against %s\n",
				        r->checks[i].name, m(a, r->checks[i].left),
				        m(b, r->checks[i].right));
	}

	if (gr_rules_any(ctx->rules))
		print_rules(out, ctx->rules);
	print_findings(out, r, ctx->rules, max_findings);
}

void gr_report_tranches(FILE *out, const struct gr_report_context *ctx)
{
	const struct gr_recon *r = ctx->recon;
	const struct gr_grant *g = r->grant;
	const struct gr_totals *t = &r->totals;
	char a[GR_MONEY_BUF], b[GR_MONEY_BUF], c[GR_MONEY_BUF], d[GR_MONEY_BUF];
	char due[11], rec[11];
	fprintf(out, "%s: tranches and funds (%s)\n", g->name, g->currency);
	print_scope(out, r);
	fprintf(out, "\n  %-12s %16s  %-10s  %-10s  %s\n", "tranche", "amount",
	        "due", "received", "status");
	for (size_t i = 0; i < r->tables->tranche_count; i++) {
		const struct gr_tranche *tr = &r->tables->tranches[i];
		const struct gr_tranche_result *res = &r->tranches[i];
		fprintf(out, "  %-12s %16s  %-10s  %-10s  ", tr->name,
		        m(a, tr->amount), gr_date_iso(due, tr->due),
		        res->status == GR_TRANCHE_RECEIVED
		        ? gr_date_iso(rec, tr->received) : "");
		if (res->status == GR_TRANCHE_OVERDUE)
			fprintf(out, "overdue, %ld day%s\n", res->days_overdue,
			        res->days_overdue == 1 ? "" : "s");
		else
			fprintf(out, "%s\n", gr_tranche_status_name(res->status));
	}
	fprintf(out, "\n  received       %16s\n  passed on      %16s\n"
	        "  outstanding    %16s\n  grant ceiling  %16s\n",
	        m(a, t->received), m(b, t->disbursed), m(c, t->outstanding),
	        m(d, g->amount));
	fprintf(out, "  lead's cash    %16s  (received - passed on - the lead's "
	        "own spending)\n", m(a, t->lead_cash));

	int label_cols = 12;
	for (size_t i = 0; i < g->member_count; i++) {
		int w = width(g->members[i].id) + 7;
		if (w > label_cols)
			label_cols = w;
	}
	fputs("\nPositions and what the outstanding tranches would cover\n", out);
	const char *head[] = {"position", "pre-financed", "covered", "own funds"};
	row(out, "", label_cols, head, 4);
	for (size_t i = 0; i <= g->member_count; i++) {
		bool total = i == g->member_count;
		const struct gr_cover *cv = total ? &t->cover : &r->members[i].cover;
		char label[96];
		snprintf(label, sizeof(label), "%s%s", total ? "total"
		         : g->members[i].id, !total && g->members[i].lead ? " (lead)"
		                                                           : "");
		mpz_t pos;
		mpz_init(pos);
		if (total)
			mpz_sub(pos, t->received, t->actual);
		else
			mpz_set(pos, r->members[i].position);
		const char *cells[] = {m(a, pos), m(b, cv->prefinanced),
		                       m(c, cv->covered), m(d, cv->own_contribution)};
		row(out, label, label_cols, cells, 4);
		mpz_clear(pos);
	}
	fprintf(out, "\n  The outstanding tranches can cover at most %s: the %s "
	        "outstanding, within the %s that actual spending leaves under "
	        "the ceiling.\n", m(a, t->claimable), m(b, t->outstanding),
	        m(c, t->room));
	if (mpz_sgn(t->over_ceiling) > 0)
		fprintf(out, "  Spending above the ceiling, %s, stays the members' "
		        "own contribution.\n", m(a, t->over_ceiling));
	size_t count = r->finding_count, warnings = r->warnings;
	if (ctx->rules) {
		count += ctx->rules->finding_count;
		warnings += ctx->rules->warnings;
	}
	if (count > 0)
		fprintf(out, "\n%zu finding%s (%zu warning%s): 'grantrec check' lists "
		        "them.\n", count, count == 1 ? "" : "s",
		        warnings, warnings == 1 ? "" : "s");
}
