/*
 * sheet_summary_rules.c: the Summary's Rules section, the donor's rules of
 * grant.ini's [rules] as live formulas over the Budget vs Actual and
 * Funds sheets, each with the exact figure of struct gr_rule_results
 * cached (docs/workbook.md).
 *
 * Limits are written as ROUND(figure * percent / 100, 2) under the half-up
 * rule, which ROUND follows; no spreadsheet function rounds half to even,
 * so under half-even the limits are grantrec's values, like the converted
 * amounts on the Ledger.
 */
#include <stdio.h>
#include <string.h>

#include "grantrec/rules.h"
#include "report/xlsx_writer.h"
#include "report/sheet_common.h"

#define RULES_NOTE_WIDTH 96
#define RULES_LAST 7
#define BVA "'Budget vs Actual'!"

/* A table's header: the first and last columns text, the rest figures. */
static void heads(struct xw *w, lxw_row_t row, const char *const *names)
{
	static const bool numeric[] = {false, true, true, true, true, false};
	xw_header_row(w, w->summary, row, names, 6, numeric);
}

static void rules_note(struct xw *w, lxw_row_t row, lxw_col_t first,
                       const char *note)
{
	xw_note_block(w, w->summary, row, first, RULES_LAST,
	              RULES_NOTE_WIDTH - 16.0 * (double)(first - 2), note,
	              w->note_wrap);
}

/* "BREACH" or "OK" from `test` (a formula that is true on a breach). */
static void verdict(struct xw *w, lxw_row_t row, lxw_col_t col,
                    const char *test, bool breach)
{
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "IF(%s,\"BREACH\",\"OK\")", test);
	xw_formula_str(w, w->summary, row, col, breach ? "BREACH" : "OK",
	               w->check);
}

static void verdict_colours(struct xw *w, lxw_row_t first, lxw_row_t last,
                            lxw_col_t col)
{
	static char ok_text[] = "\"OK\"";
	lxw_conditional_format ok = {
		.type = LXW_CONDITIONAL_TYPE_CELL,
		.criteria = LXW_CONDITIONAL_CRITERIA_EQUAL_TO,
		.value_string = ok_text, .format = w->cf_ok,
	};
	lxw_conditional_format bad = {
		.type = LXW_CONDITIONAL_TYPE_CELL,
		.criteria = LXW_CONDITIONAL_CRITERIA_NOT_EQUAL_TO,
		.value_string = ok_text, .format = w->cf_bad,
	};
	xw_check(w, worksheet_conditional_format_range(w->summary, first, col,
	                                               last, col, &ok));
	xw_check(w, worksheet_conditional_format_range(w->summary, first, col,
	                                               last, col, &bad));
}

/* An amount allowed: ROUND(base * percent / 100, 2) under half-up, else
 * grantrec's value. */
static void limit_cell(struct xw *w, lxw_row_t row, lxw_col_t col,
                       const char *base, unsigned pct_row, const mpz_t cents)
{
	if (w->r->grant->rounding != GR_ROUND_HALF_UP) {
		xw_money(w, w->summary, row, col, cents, w->money);
		return;
	}
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "ROUND(%s*$B$%u/100,2)", base, pct_row);
	xw_formula_cents(w, w->summary, row, col, cents, w->money);
}

/* A percentage given in grant.ini, on its own row for the formulas. */
static unsigned percent_row(struct xw *w, lxw_row_t row, const char *label,
                            const struct gr_dec *pct, const char *note)
{
	xw_text(w, w->summary, row, 0, label, w->bold, NULL, 0, "label");
	xw_number(w, w->summary, row, 1, xw_decimal(pct), NULL);
	rules_note(w, row, 2, note);
	return XR(row);
}

/* ---- max_shift: per budget line, all members ----------------------------------- */

static lxw_row_t rules_max_shift(struct xw *w, lxw_row_t row)
{
	const struct gr_rule_results *x = w->rules;
	const struct gr_grant *g = w->r->grant;
	lxw_worksheet *ws = w->summary;
	unsigned P = percent_row(w, row++, "Flexibility limit, max_shift (%)",
	                         &g->rules.max_shift, "A budget line, all members "
	                         "together, may be overspent by this share of its "
	                         "budget without the donor's approval.");
	static const char *const head[] = {
		"Budget line", "Budget", "Actual", "Over budget", "Allowed", "Result",
	};
	heads(w, row++, head);
	/* Member x line rows of Budget vs Actual: the budget source column
	 * is blank on the subtotal and total rows. */
	char src[8];
	xw_col(src, w->bva_source_col);
	unsigned first = XR(4), last = XR(w->bva_total_row) - 1;
	lxw_row_t top = row;
	for (size_t k = 0; k < x->line_count; k++, row++) {
		const struct gr_rule_shift *s = &x->lines[k];
		unsigned R = XR(row);
		size_t i = 0;
		while (i < w->r->line_count && w->r->lines[i].name != s->name)
			i++;
		xw_label_text(w, ws, row, 0, &w->lines[i].clean, NULL);
		for (int c = 0; c < 2; c++) {
			xw_buf_reset(&w->f);
			xw_buf_addf(&w->f, "SUMPRODUCT(EXACT(" BVA "$B$%u:$B$%u,$A%u)*"
			            "(" BVA "$%s$%u:$%s$%u<>\"\")*" BVA "$%c$%u:$%c$%u)",
			            first, last, R, src, first, src, last,
			            c ? 'D' : 'C', first, c ? 'D' : 'C', last);
			xw_formula_cents(w, ws, row, (lxw_col_t)(1 + c),
			                 c ? s->actual : s->budget, w->money);
		}
		xw_buf_reset(&w->f);
		xw_buf_addf(&w->f, "C%u-B%u", R, R);
		xw_formula_cents(w, ws, row, 3, s->over, w->money);
		char base[16];
		snprintf(base, sizeof(base), "B%u", R);
		limit_cell(w, row, 4, base, P, s->allowed);
		char test[48];
		snprintf(test, sizeof(test), "ROUND(D%u-E%u,2)>0", R, R);
		verdict(w, row, 5, test, s->breach);
	}
	if (row > top)
		verdict_colours(w, top, row - 1, 5);
	rules_note(w, row++, 0, "Budget and actual add up every member's line of "
	           "that name on Budget vs Actual. Allowed = budget x the limit "
	           "/ 100, rounded to the cent; a breach when the line is over "
	           "its budget by more (any spending on a line with no budget).");
	return row;
}

/* ---- indirect_cap: per member and in total -------------------------------------- */

/* The member's indirect costs: its rows of Budget vs Actual whose line is
 * one of indirect_lines. */
static void indirect_sum(struct xw *w, size_t m)
{
	const struct gr_recon *r = w->r;
	const struct gr_rules *rules = &r->grant->rules;
	size_t terms = 0;
	xw_buf_reset(&w->f);
	for (size_t i = 0; i < r->line_count; i++) {
		if (r->lines[i].member != m)
			continue;
		for (size_t k = 0; k < rules->indirect_line_count; k++) {
			if (strcmp(rules->indirect_lines[k], r->lines[i].name) != 0)
				continue;
			/* Rows: the member's lines, each member closed by a subtotal. */
			xw_buf_addf(&w->f, "%s" BVA "$D$%u", terms++ ? "+" : "",
			            XR(4 + (lxw_row_t)(i + m)));
			break;
		}
	}
	if (!terms)
		xw_buf_add(&w->f, "0");
}

static void indirect_row(struct xw *w, lxw_row_t row, unsigned P,
                         const struct gr_rule_indirect *x)
{
	unsigned R = XR(row);
	char base[16], test[48];
	snprintf(base, sizeof(base), "B%u", R);
	limit_cell(w, row, 3, base, P, x->allowed);
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "MAX(0,ROUND(C%u-D%u,2))", R, R);
	xw_formula_cents(w, w->summary, row, 4, x->excess, w->money);
	snprintf(test, sizeof(test), "E%u>0", R);
	verdict(w, row, 5, test, x->breach);
}

static lxw_row_t rules_indirect(struct xw *w, lxw_row_t row)
{
	const struct gr_rule_results *x = w->rules;
	const struct gr_grant *g = w->r->grant;
	lxw_worksheet *ws = w->summary;
	char text[512];
	size_t n = 0;
	n += (size_t)snprintf(text, sizeof(text), "Of the direct costs. Indirect "
	                      "lines: ");
	for (size_t k = 0; k < g->rules.indirect_line_count && n < sizeof(text);
	     k++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "%s%s", k ? ", "
		                      : "", g->rules.indirect_lines[k]);
	unsigned P = percent_row(w, row++, "Indirect cost cap, indirect_cap (%)",
	                         &g->rules.indirect_cap, text);
	static const char *const head[] = {
		"Member", "Direct costs", "Indirect costs", "Allowed", "Excess",
		"Result",
	};
	heads(w, row++, head);
	lxw_row_t top = row;
	for (size_t m = 0; m < g->member_count; m++, row++) {
		const struct gr_rule_indirect *mi = &x->members[m];
		unsigned R = XR(row);
		xw_label_text(w, ws, row, 0, &w->members[m].clean, NULL);
		indirect_sum(w, m);
		xw_formula_cents(w, ws, row, 2, mi->indirect, w->money);
		xw_buf_reset(&w->f);
		xw_buf_addf(&w->f, BVA "$D$%u-C%u", XR(w->bva_sub_row[m]), R);
		xw_formula_cents(w, ws, row, 1, mi->direct, w->money);
		indirect_row(w, row, P, mi);
	}
	xw_text(w, ws, row, 0, "Total", w->text_total, NULL, 0, "label");
	for (int c = 1; c < 3; c++) {
		char col[8];
		xw_col(col, (lxw_col_t)c);
		xw_buf_reset(&w->f);
		if (row > top)
			xw_buf_addf(&w->f, "SUM(%s%u:%s%u)", col, XR(top), col, XR(row) - 1);
		else
			xw_buf_add(&w->f, "0");
		xw_formula_cents(w, ws, row, (lxw_col_t)c,
		                 c == 1 ? x->total.direct : x->total.indirect,
		                 w->money_total);
	}
	indirect_row(w, row, P, &x->total);
	verdict_colours(w, top, row, 5);
	row++;
	rules_note(w, row++, 0, "Direct costs are the member's actual on every "
	           "other budget line (its subtotal on Budget vs Actual less the "
	           "indirect lines). Allowed = direct x the cap / 100, rounded to "
	           "the cent; the total's from the total direct costs, not the "
	           "sum of the members'.");
	return row;
}

/* ---- own_contribution ------------------------------------------------------------ */

static lxw_row_t rules_own(struct xw *w, lxw_row_t row)
{
	const struct gr_rule_results *x = w->rules;
	const struct gr_rules *rules = &w->r->grant->rules;
	lxw_worksheet *ws = w->summary;
	unsigned P = 0;
	if (rules->own_kind == GR_OWN_PERCENT)
		P = percent_row(w, row++, "Own contribution, own_contribution (%)",
		                &rules->own_percent, "Of the total costs: what the "
		                "agreement asks the members to bring from their own "
		                "funds.");
	lxw_row_t total = row;
	xw_text(w, ws, row, 0, "Total costs", w->bold, NULL, 0, "label");
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, BVA "$D$%u", XR(w->bva_total_row));
	xw_formula_cents(w, ws, row++, 1, x->own.total_costs, w->money);
	lxw_row_t asked = row;
	xw_text(w, ws, row, 0, "Asked by the agreement", w->bold, NULL, 0,
	        "label");
	if (rules->own_kind == GR_OWN_PERCENT) {
		char base[16];
		snprintf(base, sizeof(base), "B%u", XR(total));
		limit_cell(w, row, 1, base, P, x->own.required);
	} else {
		xw_money(w, ws, row, 1, x->own.required, w->money);
		rules_note(w, row, 2, "The amount in grant.ini.");
	}
	row++;
	lxw_row_t own = row;
	xw_text(w, ws, row, 0, "Own funds", w->bold, NULL, 0, "label");
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "Funds!$F$%u", XR(w->funds_own_total_row));
	xw_formula_cents(w, ws, row, 1, x->own.own_funds, w->money);
	rules_note(w, row++, 2, "The pre-financing the outstanding tranches will "
	           "not refund, including spending above the ceiling (Funds).");
	xw_text(w, ws, row, 0, "Shortfall", w->bold, NULL, 0, "label");
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "MAX(0,ROUND(B%u-B%u,2))", XR(asked), XR(own));
	xw_formula_cents(w, ws, row, 1, x->own.shortfall, w->money);
	char test[32];
	snprintf(test, sizeof(test), "B%u>0", XR(row));
	verdict(w, row, 2, test, x->own.breach);
	verdict_colours(w, row, row, 2);
	return row + 1;
}

lxw_row_t xw_summary_rules(struct xw *w, lxw_row_t row)
{
	if (!gr_rules_any(w->rules))
		return row;
	char text[160];
	snprintf(text, sizeof(text), "Rules of the grant agreement (%s)",
	         xw_currency(w));
	xw_text(w, w->summary, row++, 0, text, w->h2, NULL, 0, "title");
	rules_note(w, row++, 0, "The donor's rules of grant.ini's [rules], "
	           "checked against the figures above; each breach is also on "
	           "the Findings sheet.");
	if (w->rules->max_shift)
		row = rules_max_shift(w, row) + 1;
	if (w->rules->indirect_cap)
		row = rules_indirect(w, row) + 1;
	if (w->rules->own_contribution)
		row = rules_own(w, row) + 1;
	return row - 1;
}
