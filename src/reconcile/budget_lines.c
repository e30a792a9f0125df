/*
 * budget_lines.c: budget and actual per member and budget line, and
 * whether each line's variance passes the threshold.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grantrec/progress.h"
#include "base/util.h"
#include "reconcile/recon_internal.h"

/* ---- budget lines -------------------------------------------------------- */

static long name_id(struct work *w, const char *name)
{
	long id = gr_strset_intern(&w->line_names, name, strlen(name));
	if (id < 0)
		w->oom = true;
	return id;
}

static struct gr_line_result *add_line_result(struct work *w, size_t member,
                                              long name)
{
	struct gr_recon *r = w->r;
	size_t cap = r->line_count;
	/* r->lines grows one at a time; results are few (members x lines). */
	if (!gr_grow((void **)&r->lines, &cap, r->line_count + 1,
	             sizeof(*r->lines))) {
		w->oom = true;
		return NULL;
	}
	struct gr_line_result *lr = &r->lines[r->line_count];
	memset(lr, 0, sizeof(*lr));
	lr->member = member;
	lr->budget_line = (uint32_t)name;
	lr->seq = r->line_count;
	mpz_inits(lr->budget, lr->original_budget, lr->actual, lr->variance,
	          lr->quarter_actual, NULL);
	w->line_slot[member * w->slot_names + (size_t)name] = (long)r->line_count;
	r->line_count++;
	return lr;
}

static int line_result_cmp(const void *a, const void *b)
{
	const struct gr_line_result *x = a, *y = b;
	if (x->member != y->member)
		return x->member < y->member ? -1 : 1;
	if (x->budgeted != y->budgeted)
		return x->budgeted ? -1 : 1;
	/* budgeted: budget.csv order; unbudgeted: first appearance */
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* |variance| * 100 > threshold * |budget|, exactly. */
void recon_assess_variance(const struct gr_grant *g, const mpz_t budget,
                           const mpz_t variance, bool *has_pct,
                           char pct[32], bool *over)
{
	if (mpz_sgn(budget) == 0) {
		*has_pct = false;
		pct[0] = '\0';
		*over = mpz_sgn(variance) != 0;
		return;
	}
	*has_pct = true;
	mpq_t q;
	mpq_init(q);
	mpz_mul_ui(mpq_numref(q), variance, 100);
	mpz_set(mpq_denref(q), budget);
	mpq_canonicalize(q);
	char buf[GR_MONEY_BUF];
	snprintf(pct, 32, "%s", gr_mpq_str(buf, q, 2));
	mpz_t lhs, rhs, pow;
	mpz_inits(lhs, rhs, pow, NULL);
	mpz_abs(lhs, variance);
	mpz_mul_ui(lhs, lhs, 100);
	mpz_ui_pow_ui(pow, 10, (unsigned long)g->threshold.scale);
	mpz_mul(lhs, lhs, pow);
	mpz_abs(rhs, budget);
	mpz_mul(rhs, rhs, g->threshold.coef);
	*over = mpz_cmp(lhs, rhs) > 0;
	mpz_clears(lhs, rhs, pow, NULL);
	mpq_clear(q);
}

/* One id space for budget-line names from both sources, and the table
 * from (member, name) to the line's result. */
static bool name_slots(struct work *w)
{
	struct gr_recon *r = w->r;
	const struct gr_grant *g = r->grant;
	const struct gr_budget_view original = gr_budget_original(r->tables);
	const struct gr_ledger *ledger = r->ledger;
	for (size_t i = 0; i < r->budget.count; i++)
		name_id(w, r->budget.rows[i].budget_line);
	for (size_t i = 0; i < original.count; i++)
		name_id(w, original.rows[i].budget_line);
	w->ledger_name = gr_calloc(ledger->budget_lines.count,
	                           sizeof(*w->ledger_name));
	if (!w->ledger_name)
		return false;
	for (size_t i = 0; i < ledger->budget_lines.count; i++)
		w->ledger_name[i] = (uint32_t)name_id(w, ledger->budget_lines.strings[i]);
	if (w->oom)
		return false;
	w->slot_names = w->line_names.count;
	size_t slots = g->member_count * w->slot_names;
	w->line_slot = gr_malloc((slots ? slots : 1) * sizeof(*w->line_slot));
	if (!w->line_slot)
		return false;
	for (size_t i = 0; i < slots; i++)
		w->line_slot[i] = -1;
	return true;
}

/* A result per row of the budget in force of a known member. */
static bool budget_rows(struct work *w)
{
	const struct gr_budget_view *v = &w->r->budget;
	for (size_t i = 0; i < v->count; i++) {
		const struct gr_budget_row *b = &v->rows[i];
		if (b->member == GR_NO_MEMBER)
			continue;
		long id = name_id(w, b->budget_line);
		struct gr_line_result *lr = add_line_result(w, b->member, id);
		if (!lr)
			return false;
		lr->budgeted = true;
		lr->budget_row_line = b->line;
		mpz_set(lr->budget, b->amount);
	}
	return true;
}

/* Actual per budget line; a line not in the member's budget gets a
 * result of its own and one finding. */
static bool line_actuals(struct work *w)
{
	struct gr_recon *r = w->r;
	const struct gr_grant *g = r->grant;
	const struct gr_ledger *ledger = r->ledger;
	/* Unbudgeted lines, in order of first appearance; the first line is
	 * remembered for the finding. */
	size_t unb_cap = 0, unb_count = 0, unb_lines_cap = 0;
	size_t *unb_first = NULL, *unb_lines = NULL;
	size_t budgeted = r->line_count;   /* unbudgeted slots come after */
	for (size_t i = 0; i < ledger->count; i++) {
		const struct gr_line *line = &ledger->lines[i];
		const struct gr_converted *c = &r->converted[i];
		if (!c->eligible)
			continue;
		size_t name = w->ledger_name[line->budget_line];
		long slot = w->line_slot[line->member * w->slot_names + name];
		if (slot < 0) {
			struct gr_line_result *lr = add_line_result(w, line->member,
			                                            (long)name);
			if (!lr || !gr_grow((void **)&unb_first, &unb_cap, unb_count + 1,
			                    sizeof(*unb_first)) ||
			    !gr_grow((void **)&unb_lines, &unb_lines_cap, unb_count + 1,
			             sizeof(*unb_lines))) {
				free(unb_first);
				free(unb_lines);
				w->oom = true;
				return false;
			}
			unb_lines[unb_count] = 0;
			unb_first[unb_count++] = i;
			slot = (long)r->line_count - 1;
		}
		gr_add_converted(r->lines[slot].actual, r, i);
		if ((size_t)slot >= budgeted)
			unb_lines[(size_t)slot - budgeted]++;
		if (c->in_quarter)
			gr_add_converted(r->lines[slot].quarter_actual, r, i);
	}
	/* Unbudgeted findings before sorting, while slots still hold. */
	for (size_t k = 0; k < unb_count; k++) {
		const struct gr_line *line = &ledger->lines[unb_first[k]];
		size_t name = w->ledger_name[line->budget_line];
		const struct gr_line_result *lr =
			&r->lines[w->line_slot[line->member * w->slot_names + name]];
		size_t n = unb_lines[k];
		char amount[GR_MONEY_BUF];
		recon_finding(w, GR_SEV_WARNING, "unbudgeted-line", gr_line_input(ledger, line)->path,
		              line->line,
		              "budget line '%s' is not in the budget of member '%s': %zu "
		              "line%s, %s %s, counted in actual", ledger->budget_lines.strings
		              [line->budget_line], g->members[line->member].id, n,
		              n == 1 ? "" : "s", g->currency, recon_money(amount, lr->actual));
	}
	free(unb_first);
	free(unb_lines);
	return true;
}

/* Sorted, named, and their variance against the threshold. */
static bool finish_lines(struct work *w)
{
	struct gr_recon *r = w->r;
	const struct gr_grant *g = r->grant;
	gr_sort(r->lines, r->line_count, sizeof(*r->lines), line_result_cmp);
	for (size_t i = 0; i < r->line_count; i++) {
		struct gr_line_result *lr = &r->lines[i];
		lr->name = gr_strdup(w->line_names.strings[lr->budget_line]);
		if (!lr->name)
			return false;
		mpz_sub(lr->variance, lr->actual, lr->budget);
		recon_assess_variance(g, lr->budget, lr->variance, &lr->has_pct,
		                      lr->variance_pct, &lr->over_threshold);
	}
	return true;
}

/* Comments: attach, and report those that match nothing. */
static void attach_comments(struct work *w)
{
	struct gr_recon *r = w->r;
	const struct gr_grant *g = r->grant;
	const struct gr_tables *t = r->tables;
	for (size_t k = 0; k < t->comment_count; k++) {
		const struct gr_comment *cm = &t->comments[k];
		bool matched = false;
		for (size_t i = 0; i < r->line_count; i++) {
			struct gr_line_result *lr = &r->lines[i];
			if (lr->member == cm->member && strcmp(lr->name, cm->budget_line) == 0) {
				lr->comment = cm->text;
				matched = true;
			}
		}
		if (!matched)
			recon_finding(w, GR_SEV_WARNING, "comment-unknown-line",
			              t->comments_path, cm->line,
			              "comment for budget line '%s' of member '%s', which has "
			              "neither budget nor spending", cm->budget_line,
			              g->members[cm->member].id);
	}
}

/* The original budget beside the one in force: each line's original
 * figure, and a result (budget 0.00) for a line the revision in force
 * dropped and nobody spent on, so that it stays visible. */
static bool original_rows(struct work *w)
{
	struct gr_recon *r = w->r;
	const struct gr_budget_view original = gr_budget_original(r->tables);
	for (size_t i = 0; i < original.count; i++) {
		const struct gr_budget_row *b = &original.rows[i];
		if (b->member == GR_NO_MEMBER)
			continue;
		long id = name_id(w, b->budget_line);
		long slot = w->line_slot[b->member * w->slot_names + (size_t)id];
		struct gr_line_result *lr = slot >= 0 ? &r->lines[slot]
			: add_line_result(w, b->member, id);
		if (!lr)
			return false;
		mpz_set(lr->original_budget, b->amount);
	}
	return true;
}

bool recon_build_budget_lines(struct work *w)
{
	if (!name_slots(w) || !budget_rows(w) || !line_actuals(w) ||
	    !original_rows(w) || !finish_lines(w))
		return false;
	attach_comments(w);
	return !w->oom;
}
