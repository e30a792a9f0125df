#include <errno.h>
#include <jansson.h>
#include <string.h>

#include "grantrec/changes.h"
#include "grantrec/report.h"
#include "grantrec/rules.h"

/* Builders that tolerate a NULL child (out of memory): jansson's *_new
 * functions steal their argument and fail cleanly on NULL, and the final
 * dump is skipped when anything went missing. */
struct builder {
	bool oom;
};

static json_t *checked(struct builder *b, json_t *v)
{
	if (!v)
		b->oom = true;
	return v;
}

static void set(struct builder *b, json_t *obj, const char *key, json_t *v)
{
	if (!obj || !v || json_object_set_new(obj, key, v) != 0) {
		b->oom = true;
		json_decref(v);
	}
}

static void append(struct builder *b, json_t *arr, json_t *v)
{
	if (!arr || !v || json_array_append_new(arr, v) != 0) {
		b->oom = true;
		json_decref(v);
	}
}

static json_t *str(struct builder *b, const char *s)
{
	return checked(b, s ? json_string(s) : json_null());
}

static json_t *cents(struct builder *b, mpz_srcptr value)
{
	char buf[GR_MONEY_BUF];
	return str(b, gr_cents_str(buf, value));
}

static json_t *date(struct builder *b, gr_date d)
{
	char buf[11];
	return d == GR_NO_DATE ? checked(b, json_null())
	                       : str(b, gr_date_iso(buf, d));
}

static json_t *grant_object(struct builder *b, const struct gr_recon *r)
{
	const struct gr_grant *g = r->grant;
	json_t *o = checked(b, json_object());
	char buf[GR_MONEY_BUF];
	set(b, o, "name", str(b, g->name));
	set(b, o, "donor", str(b, g->donor ? g->donor : ""));
	set(b, o, "reference", str(b, g->reference ? g->reference : ""));
	set(b, o, "currency", str(b, g->currency));
	set(b, o, "amount", cents(b, g->amount));
	set(b, o, "start", date(b, g->start));
	set(b, o, "end", date(b, g->end));
	set(b, o, "threshold", str(b, gr_dec_str(buf, &g->threshold)));
	set(b, o, "rounding", str(b, gr_rounding_name(g->rounding)));
	set(b, o, "quarters", str(b, g->quarters == GR_QUARTERS_GRANT
	                              ? "grant" : "calendar"));
	set(b, o, "as_of", date(b, r->as_of));
	set(b, o, "budget_revision",
	    checked(b, json_integer((json_int_t)r->budget.number)));
	return o;
}

static json_t *budget_revisions_array(struct builder *b,
                                      const struct gr_recon *r)
{
	json_t *a = checked(b, json_array());
	for (size_t i = 0; i < r->budget_count; i++) {
		const struct gr_budget_total *bt = &r->budgets[i];
		json_t *o = checked(b, json_object());
		set(b, o, "revision", checked(b, json_integer((json_int_t)bt->number)));
		set(b, o, "file", str(b, bt->path));
		set(b, o, "approved", bt->approved == GR_NO_DATE
		    ? checked(b, json_null()) : date(b, bt->approved));
		set(b, o, "total", cents(b, bt->total));
		set(b, o, "in_force", checked(b, json_boolean(bt->in_force)));
		append(b, a, o);
	}
	return a;
}

static json_t *totals_object(struct builder *b, const struct gr_recon *r)
{
	const struct gr_totals *t = &r->totals;
	json_t *o = checked(b, json_object());
	char buf[GR_MONEY_BUF];
	set(b, o, "budget", cents(b, t->budget));
	set(b, o, "original_budget", cents(b, t->original_budget));
	set(b, o, "actual", cents(b, t->actual));
	set(b, o, "variance", cents(b, t->variance));
	set(b, o, "variance_pct", t->has_variance_pct
	    ? str(b, t->variance_pct) : checked(b, json_null()));
	set(b, o, "received", cents(b, t->received));
	set(b, o, "outstanding", cents(b, t->outstanding));
	set(b, o, "disbursed", cents(b, t->disbursed));
	set(b, o, "over_ceiling", cents(b, t->over_ceiling));
	set(b, o, "outside_period", cents(b, t->outside_period));
	set(b, o, "rounding_difference",
	    str(b, gr_mpq_str(buf, t->rounding_difference, 6)));
	if (r->quarter >= 0)
		set(b, o, "quarter_actual", cents(b, t->quarter_actual));
	return o;
}

static json_t *pct(struct builder *b, bool has, const char *text)
{
	return has ? str(b, text) : checked(b, json_null());
}

static json_t *forecast_object(struct builder *b, const struct gr_forecast *f)
{
	json_t *o = checked(b, json_object());
	set(b, o, "spent_pct", pct(b, f->has_spent_pct, f->spent_pct));
	set(b, o, "elapsed_pct", str(b, f->elapsed_pct));
	set(b, o, "last_three_months", cents(b, f->window_actual));
	set(b, o, "burn_rate_monthly", cents(b, f->burn_monthly));
	set(b, o, "projected", cents(b, f->projected));
	set(b, o, "projected_variance_pct",
	    pct(b, f->has_projected_pct, f->projected_pct));
	set(b, o, "off_budget", checked(b, json_boolean(f->off_budget)));
	return o;
}

static json_t *cover_object(struct builder *b, const struct gr_cover *c)
{
	json_t *o = checked(b, json_object());
	set(b, o, "prefinanced", cents(b, c->prefinanced));
	set(b, o, "covered", cents(b, c->covered));
	set(b, o, "own_contribution", cents(b, c->own_contribution));
	return o;
}

static json_t *effect_object(struct builder *b, mpz_srcptr budget,
                             const struct gr_fx_effect *e, mpz_srcptr actual)
{
	json_t *o = checked(b, json_object());
	set(b, o, "budget", cents(b, budget));
	set(b, o, "spending_effect", cents(b, e->spending_effect));
	set(b, o, "rate_effect", cents(b, e->rate_effect));
	set(b, o, "actual", cents(b, actual));
	set(b, o, "actual_at_budget_rates", cents(b, e->at_budget_rates));
	return o;
}

static json_t *fx_effect_object(struct builder *b, const struct gr_recon *r)
{
	json_t *o = checked(b, json_object());
	json_t *a = checked(b, json_array());
	for (size_t m = 0; m < r->grant->member_count; m++) {
		const struct gr_member_result *mr = &r->members[m];
		json_t *e = checked(b, json_object());
		set(b, e, "id", str(b, r->grant->members[m].id));
		json_t *rest = effect_object(b, mr->budget, &mr->fx_effect, mr->actual);
		if (e && rest)
			json_object_update(e, rest);
		json_decref(rest);
		append(b, a, e);
	}
	set(b, o, "members", a);
	set(b, o, "total", effect_object(b, r->totals.budget,
	                                 &r->totals.fx_effect, r->totals.actual));
	return o;
}

static json_t *period_object(struct builder *b, const struct gr_recon *r)
{
	json_t *o = checked(b, json_object());
	set(b, o, "as_of", date(b, r->as_of));
	set(b, o, "as_of_given", checked(b, json_boolean(r->as_of_given)));
	set(b, o, "quarter", r->quarter >= 0 ? str(b, r->quarters[r->quarter].label)
	                                     : checked(b, json_null()));
	set(b, o, "from", date(b, r->quarter >= 0 ? r->quarters[r->quarter].from
	                                          : r->grant->start));
	set(b, o, "to", date(b, r->as_of));
	set(b, o, "lines_after_as_of",
	    checked(b, json_integer((json_int_t)r->lines_after_as_of)));
	return o;
}

static json_t *funds_object(struct builder *b, const struct gr_recon *r)
{
	const struct gr_totals *t = &r->totals;
	json_t *o = checked(b, json_object());
	set(b, o, "received", cents(b, t->received));
	set(b, o, "disbursed", cents(b, t->disbursed));
	set(b, o, "outstanding", cents(b, t->outstanding));
	set(b, o, "lead_cash", cents(b, t->lead_cash));
	set(b, o, "claimable", cents(b, t->claimable));
	set(b, o, "over_ceiling", cents(b, t->over_ceiling));
	set(b, o, "cover", cover_object(b, &t->cover));
	if (r->quarter >= 0) {
		set(b, o, "quarter_received", cents(b, t->quarter_received));
		set(b, o, "quarter_disbursed", cents(b, t->quarter_disbursed));
	}
	return o;
}

static json_t *declared_array(struct builder *b, const struct gr_recon *r)
{
	json_t *a = checked(b, json_array());
	for (size_t i = 0; i < r->declared_count; i++) {
		const struct gr_declared_result *d = &r->declared[i];
		json_t *o = checked(b, json_object());
		set(b, o, "member", str(b, r->grant->members[d->member].id));
		set(b, o, "quarter", str(b, r->quarters[d->quarter].label));
		set(b, o, "declared", cents(b, d->declared->amount));
		set(b, o, "ledger", cents(b, d->ledger));
		set(b, o, "difference", cents(b, d->difference));
		append(b, a, o);
	}
	return a;
}

static json_t *forecast_total(struct builder *b, const struct gr_recon *r)
{
	json_t *o = forecast_object(b, &r->totals.forecast);
	set(b, o, "window_from", date(b, r->totals.forecast.window_from));
	set(b, o, "window_to", date(b, r->totals.forecast.window_to));
	return o;
}

static json_t *line_object(struct builder *b, const struct gr_recon *r,
                           size_t i)
{
	const struct gr_line *line = &r->ledger->lines[i];
	json_t *o = checked(b, json_object());
	char buf[GR_MONEY_BUF];
	set(b, o, "member", str(b, r->grant->members[line->member].id));
	set(b, o, "file", str(b, gr_line_input(r->ledger, line)->name));
	set(b, o, "line", checked(b, json_integer(line->line)));
	set(b, o, "voucher", str(b, line->voucher));
	set(b, o, "date", date(b, line->date));
	set(b, o, "amount", str(b, gr_line_amount_str(buf, r->ledger, line)));
	set(b, o, "currency", str(b, line->currency));
	set(b, o, "budget_line",
	    str(b, r->ledger->budget_lines.strings[line->budget_line]));
	size_t rate = r->converted[i].rate;
	if (rate != GR_NO_RATE)
		set(b, o, "rate", str(b, gr_mpq_str(buf, r->fx->rates[rate].value, 6)));
	else
		set(b, o, "rate", checked(b, json_null()));
	mpz_t grant_amount;
	mpz_init(grant_amount);
	gr_converted_cents(r, i, grant_amount);
	set(b, o, "grant_amount", cents(b, grant_amount));
	mpz_clear(grant_amount);
	return o;
}

static json_t *changes_object(struct builder *b, const struct gr_changes *c)
{
	static const struct { unsigned bit; const char *name; } fields[] = {
		{GR_CHANGED_AMOUNT, "amount"}, {GR_CHANGED_CURRENCY, "currency"},
		{GR_CHANGED_DATE, "date"}, {GR_CHANGED_BUDGET_LINE, "budget_line"},
		{GR_CHANGED_RATE, "rate"}, {GR_CHANGED_GRANT_AMOUNT, "grant_amount"},
	};
	json_t *o = checked(b, json_object());
	set(b, o, "previous_as_of", date(b, c->before->as_of));
	set(b, o, "reported_to", date(b, c->reported_to));
	set(b, o, "previous_grant", str(b, c->before->grant->ini_path));
	set(b, o, "late_bookings", checked(b, json_integer((json_int_t)c->late)));
	set(b, o, "removed", checked(b, json_integer((json_int_t)c->removed)));
	set(b, o, "changed", checked(b, json_integer((json_int_t)c->changed)));
	set(b, o, "new_after_previous",
	    checked(b, json_integer((json_int_t)c->new_after)));
	json_t *lines = checked(b, json_array());
	for (size_t i = 0; i < c->line_count; i++) {
		const struct gr_line_change *lc = &c->lines[i];
		json_t *e = checked(b, json_object());
		set(b, e, "kind", str(b, lc->kind == GR_CHANGE_LATE ? "late"
		                         : lc->kind == GR_CHANGE_REMOVED ? "removed"
		                                                         : "changed"));
		if (lc->kind == GR_CHANGE_CHANGED) {
			json_t *f = checked(b, json_array());
			for (size_t k = 0; k < sizeof(fields) / sizeof(fields[0]); k++)
				if (lc->fields & fields[k].bit)
					append(b, f, str(b, fields[k].name));
			set(b, e, "fields", f);
		}
		set(b, e, "before", lc->before != GR_NO_LINE
		    ? line_object(b, c->before, lc->before) : checked(b, json_null()));
		set(b, e, "now", lc->now != GR_NO_LINE
		    ? line_object(b, c->now, lc->now) : checked(b, json_null()));
		append(b, lines, e);
	}
	set(b, o, "lines", lines);
	json_t *rs = checked(b, json_array());
	for (size_t i = 0; i < c->restated_count; i++) {
		const struct gr_restated *q = &c->restated[i];
		json_t *e = checked(b, json_object());
		set(b, e, "quarter", str(b, q->quarter));
		set(b, e, "member", str(b, q->member));
		set(b, e, "reported", cents(b, q->before));
		set(b, e, "restated", cents(b, q->now));
		set(b, e, "difference", cents(b, q->difference));
		append(b, rs, e);
	}
	set(b, o, "quarters", rs);
	return o;
}

static json_t *members_array(struct builder *b, const struct gr_recon *r)
{
	const struct gr_grant *g = r->grant;
	json_t *a = checked(b, json_array());
	for (size_t m = 0; m < g->member_count; m++) {
		const struct gr_member *mem = &g->members[m];
		const struct gr_member_result *mr = &r->members[m];
		json_t *o = checked(b, json_object());
		set(b, o, "id", str(b, mem->id));
		set(b, o, "name", str(b, mem->name));
		set(b, o, "role", str(b, mem->lead ? "lead" : "member"));
		set(b, o, "fx", str(b, gr_fx_method_name(mem->fx)));
		set(b, o, "budget", cents(b, mr->budget));
		set(b, o, "original_budget", cents(b, mr->original_budget));
		set(b, o, "actual", cents(b, mr->actual));
		set(b, o, "variance", cents(b, mr->variance));
		set(b, o, "variance_pct", pct(b, mr->has_variance_pct,
		                              mr->variance_pct));
		set(b, o, "disbursed", cents(b, mr->disbursed));
		set(b, o, "position", cents(b, mr->position));
		set(b, o, "lines", checked(b, json_integer((json_int_t)mr->lines)));
		if (r->quarter >= 0) {
			json_t *q = checked(b, json_object());
			set(b, q, "actual", cents(b, mr->quarter_actual));
			set(b, q, "disbursed", cents(b, mr->quarter_disbursed));
			set(b, o, "quarter", q);
		}
		set(b, o, "forecast", forecast_object(b, &mr->forecast));
		set(b, o, "cover", cover_object(b, &mr->cover));
		append(b, a, o);
	}
	return a;
}

static json_t *budget_lines_array(struct builder *b, const struct gr_recon *r)
{
	json_t *a = checked(b, json_array());
	for (size_t i = 0; i < r->line_count; i++) {
		const struct gr_line_result *lr = &r->lines[i];
		json_t *o = checked(b, json_object());
		set(b, o, "member", str(b, r->grant->members[lr->member].id));
		set(b, o, "budget_line", str(b, lr->name));
		set(b, o, "budget", cents(b, lr->budget));
		set(b, o, "original_budget", cents(b, lr->original_budget));
		set(b, o, "actual", cents(b, lr->actual));
		set(b, o, "variance", cents(b, lr->variance));
		set(b, o, "variance_pct", lr->has_pct ? str(b, lr->variance_pct)
		                                      : checked(b, json_null()));
		set(b, o, "over_threshold", checked(b, json_boolean(lr->over_threshold)));
		set(b, o, "comment", str(b, lr->comment));
		set(b, o, "budgeted", checked(b, json_boolean(lr->budgeted)));
		if (r->quarter >= 0)
			set(b, o, "quarter_actual", cents(b, lr->quarter_actual));
		append(b, a, o);
	}
	return a;
}

static json_t *periods_array(struct builder *b,
                             const struct gr_period_result *list, size_t n,
                             const struct gr_recon *r)
{
	json_t *a = checked(b, json_array());
	for (size_t i = 0; i < n; i++) {
		json_t *o = checked(b, json_object());
		set(b, o, "label", str(b, list[i].label));
		set(b, o, "from", date(b, list[i].from));
		set(b, o, "to", date(b, list[i].to));
		set(b, o, "actual", cents(b, list[i].actual));
		json_t *by = checked(b, json_object());
		for (size_t m = 0; m < r->grant->member_count; m++)
			set(b, by, r->grant->members[m].id, cents(b, list[i].by_member[m]));
		set(b, o, "members", by);
		append(b, a, o);
	}
	return a;
}

static json_t *countries_array(struct builder *b, const struct gr_recon *r)
{
	json_t *a = checked(b, json_array());
	for (size_t i = 0; i < r->country_count; i++) {
		json_t *o = checked(b, json_object());
		set(b, o, "country", str(b, r->countries[i].name));
		set(b, o, "actual", cents(b, r->countries[i].actual));
		if (r->quarter >= 0)
			set(b, o, "quarter_actual", cents(b, r->countries[i].quarter_actual));
		append(b, a, o);
	}
	return a;
}

static json_t *tranches_array(struct builder *b, const struct gr_recon *r)
{
	json_t *a = checked(b, json_array());
	for (size_t i = 0; i < r->tables->tranche_count; i++) {
		const struct gr_tranche *t = &r->tables->tranches[i];
		json_t *o = checked(b, json_object());
		set(b, o, "tranche", str(b, t->name));
		set(b, o, "amount", cents(b, t->amount));
		set(b, o, "due", date(b, t->due));
		/* As of a date, a receipt after it has not happened yet. */
		set(b, o, "received", date(b, r->tranches[i].status ==
		                              GR_TRANCHE_RECEIVED ? t->received
		                                                  : GR_NO_DATE));
		set(b, o, "status", str(b, gr_tranche_status_name(r->tranches[i].status)));
		set(b, o, "days_overdue",
		    checked(b, json_integer(r->tranches[i].days_overdue)));
		append(b, a, o);
	}
	return a;
}

static const char *severity_name(enum gr_severity s)
{
	return s == GR_SEV_ERROR ? "error" : s == GR_SEV_WARNING ? "warning"
	                                                          : "note";
}

static void append_findings(struct builder *b, json_t *a,
                            const struct gr_finding *list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct gr_finding *f = &list[i];
		json_t *o = checked(b, json_object());
		set(b, o, "severity", str(b, severity_name(f->severity)));
		set(b, o, "code", str(b, f->code));
		set(b, o, "file", str(b, f->file));
		set(b, o, "line", f->line > 0 ? checked(b, json_integer(f->line))
		                              : checked(b, json_null()));
		set(b, o, "message", str(b, f->message));
		append(b, a, o);
	}
}

/* The reconciliation's findings, then the rules'. */
static json_t *findings_array(struct builder *b, const struct gr_recon *r,
                              const struct gr_rule_results *rules)
{
	json_t *a = checked(b, json_array());
	append_findings(b, a, r->findings, r->finding_count);
	if (rules)
		append_findings(b, a, rules->findings, rules->finding_count);
	return a;
}

static json_t *boolean(struct builder *b, bool v)
{
	return checked(b, json_boolean(v));
}

static json_t *max_shift_object(struct builder *b,
                                const struct gr_rule_results *x)
{
	char buf[GR_MONEY_BUF];
	json_t *o = checked(b, json_object());
	set(b, o, "limit_pct", str(b, gr_dec_str(buf, &x->grant->rules.max_shift)));
	json_t *a = checked(b, json_array());
	for (size_t i = 0; i < x->line_count; i++) {
		const struct gr_rule_shift *s = &x->lines[i];
		json_t *e = checked(b, json_object());
		set(b, e, "budget_line", str(b, s->name));
		set(b, e, "budget", cents(b, s->budget));
		set(b, e, "actual", cents(b, s->actual));
		set(b, e, "over", cents(b, s->over));
		set(b, e, "over_pct", pct(b, s->has_over_pct, s->over_pct));
		set(b, e, "allowed", cents(b, s->allowed));
		set(b, e, "breach", boolean(b, s->breach));
		append(b, a, e);
	}
	set(b, o, "lines", a);
	set(b, o, "breaches", checked(b, json_integer((json_int_t)x->shift_breaches)));
	return o;
}

static json_t *indirect_figures(struct builder *b,
                                const struct gr_rule_indirect *x)
{
	json_t *o = checked(b, json_object());
	set(b, o, "direct", cents(b, x->direct));
	set(b, o, "indirect", cents(b, x->indirect));
	set(b, o, "allowed", cents(b, x->allowed));
	set(b, o, "excess", cents(b, x->excess));
	set(b, o, "breach", boolean(b, x->breach));
	return o;
}

static json_t *indirect_cap_object(struct builder *b,
                                   const struct gr_rule_results *x)
{
	const struct gr_grant *g = x->grant;
	char buf[GR_MONEY_BUF];
	json_t *o = checked(b, json_object());
	set(b, o, "cap_pct", str(b, gr_dec_str(buf, &g->rules.indirect_cap)));
	json_t *names = checked(b, json_array());
	for (size_t i = 0; i < g->rules.indirect_line_count; i++)
		append(b, names, str(b, g->rules.indirect_lines[i]));
	set(b, o, "indirect_lines", names);
	json_t *a = checked(b, json_array());
	for (size_t m = 0; m < g->member_count; m++) {
		json_t *e = checked(b, json_object());
		set(b, e, "id", str(b, g->members[m].id));
		json_t *rest = indirect_figures(b, &x->members[m]);
		if (e && rest)
			json_object_update(e, rest);
		json_decref(rest);
		append(b, a, e);
	}
	set(b, o, "members", a);
	set(b, o, "total", indirect_figures(b, &x->total));
	return o;
}

static json_t *own_contribution_object(struct builder *b,
                                       const struct gr_rule_results *x)
{
	const struct gr_rules *rules = &x->grant->rules;
	char buf[GR_MONEY_BUF];
	json_t *o = checked(b, json_object());
	bool share = rules->own_kind == GR_OWN_PERCENT;
	set(b, o, "kind", str(b, share ? "percent" : "amount"));
	set(b, o, "percent", share ? str(b, gr_dec_str(buf, &rules->own_percent))
	                           : checked(b, json_null()));
	set(b, o, "total_costs", cents(b, x->own.total_costs));
	set(b, o, "required", cents(b, x->own.required));
	set(b, o, "own_funds", cents(b, x->own.own_funds));
	set(b, o, "shortfall", cents(b, x->own.shortfall));
	set(b, o, "breach", boolean(b, x->own.breach));
	return o;
}

static json_t *rules_object(struct builder *b, const struct gr_rule_results *x)
{
	json_t *o = checked(b, json_object());
	bool have = x != NULL;
	set(b, o, "max_shift", have && x->max_shift ? max_shift_object(b, x)
	                                            : checked(b, json_null()));
	set(b, o, "indirect_cap", have && x->indirect_cap
	    ? indirect_cap_object(b, x) : checked(b, json_null()));
	set(b, o, "own_contribution", have && x->own_contribution
	    ? own_contribution_object(b, x) : checked(b, json_null()));
	return o;
}

static json_t *inputs_array(struct builder *b, const struct gr_inputs *in)
{
	json_t *a = checked(b, json_array());
	for (size_t i = 0; i < in->count; i++) {
		const struct gr_input *f = in->items[i];
		json_t *o = checked(b, json_object());
		set(b, o, "role", str(b, f->role));
		set(b, o, "file", str(b, f->name));
		set(b, o, "sha256", str(b, f->sha256));
		set(b, o, "lines", checked(b, json_integer(f->lines)));
		append(b, a, o);
	}
	return a;
}

static json_t *checks_array(struct builder *b, const struct gr_recon *r)
{
	json_t *a = checked(b, json_array());
	for (size_t i = 0; i < r->check_count; i++) {
		const struct gr_check *c = &r->checks[i];
		json_t *o = checked(b, json_object());
		set(b, o, "check", str(b, c->name));
		set(b, o, "left", cents(b, c->left));
		set(b, o, "right", cents(b, c->right));
		set(b, o, "ok", checked(b, json_boolean(c->ok)));
		append(b, a, o);
	}
	return a;
}

enum gr_status gr_report_json(FILE *out, const char *name,
                              const struct gr_report_context *ctx,
                              struct gr_diags *diags)
{
	const struct gr_recon *r = ctx->recon;
	struct builder b = {0};
	json_t *root = checked(&b, json_object());
	set(&b, root, "grantrec", str(&b, ctx->version));
	set(&b, root, "grant", grant_object(&b, r));
	set(&b, root, "totals", totals_object(&b, r));
	set(&b, root, "members", members_array(&b, r));
	set(&b, root, "budget_lines", budget_lines_array(&b, r));
	set(&b, root, "countries", countries_array(&b, r));
	set(&b, root, "quarters", periods_array(&b, r->quarters, r->quarter_count, r));
	set(&b, root, "months", periods_array(&b, r->months, r->month_count, r));
	set(&b, root, "period", period_object(&b, r));
	set(&b, root, "budget_revisions", budget_revisions_array(&b, r));
	set(&b, root, "tranches", tranches_array(&b, r));
	set(&b, root, "funds", funds_object(&b, r));
	set(&b, root, "forecast", forecast_total(&b, r));
	set(&b, root, "fx_effect", r->has_fx_effect ? fx_effect_object(&b, r)
	                                            : checked(&b, json_null()));
	set(&b, root, "declared", declared_array(&b, r));
	set(&b, root, "changes", ctx->changes ? changes_object(&b, ctx->changes)
	                                      : checked(&b, json_null()));
	set(&b, root, "checks", checks_array(&b, r));
	set(&b, root, "rules", rules_object(&b, ctx->rules));
	set(&b, root, "findings", findings_array(&b, r, ctx->rules));
	set(&b, root, "inputs", inputs_array(&b, ctx->inputs));
	if (b.oom) {
		json_decref(root);
		gr_error(diags, NULL, 0, "out of memory");
		return GR_E_SYSTEM;
	}
	errno = 0;
	int rc = json_dumpf(root, out, JSON_INDENT(2));
	json_decref(root);
	if (rc != 0 || fputc('\n', out) == EOF || fflush(out) != 0) {
		gr_error(diags, name, 0, "cannot write: %s",
		         errno ? strerror(errno) : "write error");
		return GR_E_SYSTEM;
	}
	return GR_OK;
}
