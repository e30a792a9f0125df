/*
 * sheet_budget.c: the Budget vs Actual sheet: budget, actual, the quarter
 * and the variance per member and budget line, with subtotals per member
 * and the grand total.
 *
 * See sheet_common.h for what every sheet writer shares.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grantrec/changes.h"
#include "base/util.h"
#include "report/xlsx_writer.h"
#include "report/sheet_common.h"

/* ---- Budget vs Actual ---------------------------------------------------------- */

/* BC_QUARTER exists only with --quarter, BC_ORIGINAL and BC_CHANGE only
 * when the grant has budget revisions (they come last so that the other
 * sheets' references to Budget and Actual stay where they are); bc() gives
 * a column's place. */
enum { BC_MEMBER, BC_LINE, BC_BUDGET, BC_ACTUAL, BC_QUARTER, BC_VARIANCE,
       BC_PCT, BC_OVER, BC_COMMENT, BC_SOURCE, BC_ORIGINAL, BC_CHANGE,
       BC_ALL };

static bool has_revisions(const struct xw *w)
{
	return w->r->budget_count > 1;
}

static lxw_col_t bc(const struct xw *w, int c)
{
	if (c == BC_ALL && !has_revisions(w))
		c = BC_ORIGINAL;
	return (lxw_col_t)(c > BC_QUARTER && !w->has_quarter ? c - 1 : c);
}

/* Original budget and the change the revisions made: =budget - original. */
static void original_cells(struct xw *w, lxw_row_t row, const char *original,
                           mpz_srcptr original_cents, mpz_srcptr budget,
                           lxw_format *money)
{
	if (!has_revisions(w))
		return;
	lxw_worksheet *ws = w->bva;
	char o[8];
	xw_col(o, bc(w, BC_ORIGINAL));
	if (original) {
		xw_buf_reset(&w->f);
		xw_buf_add(&w->f, original);
		xw_formula_cents(w, ws, row, bc(w, BC_ORIGINAL), original_cents, money);
	} else {
		xw_money(w, ws, row, bc(w, BC_ORIGINAL), original_cents, money);
	}
	mpz_t change;
	mpz_init(change);
	mpz_sub(change, budget, original_cents);
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "C%u-%s%u", XR(row), o, XR(row));
	xw_formula_cents(w, ws, row, bc(w, BC_CHANGE), change, money);
	mpz_clear(change);
}

/* The file of the budget in force, as grant.ini names it. */
static const char *budget_file(const struct xw *w)
{
	const struct gr_grant *g = w->r->grant;
	for (size_t i = 0; i < g->revision_count; i++)
		if (g->revisions[i].number == w->r->budget.number)
			return g->revisions[i].file.name;
	return g->budget.name ? g->budget.name : "budget";
}

/* Variance, variance % (and for a line, above threshold) of row R. */
static void variance_cells(struct xw *w, lxw_worksheet *ws, lxw_row_t row,
                           const mpz_t variance, bool has_pct, double pct,
                           lxw_format *money, lxw_format *pctf)
{
	unsigned R = XR(row);
	char v[8];
	xw_col(v, bc(w, BC_VARIANCE));
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "D%u-C%u", R, R);
	xw_formula_cents(w, ws, row, bc(w, BC_VARIANCE), variance, money);
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "IF(C%u=0,\"\",ROUND(%s%u/C%u*100,2))", R, v, R, R);
	if (has_pct)
		xw_formula_num(w, ws, row, bc(w, BC_PCT), pct, pctf);
	else
		xw_formula_str(w, ws, row, bc(w, BC_PCT), "", pctf);
}

static void budget_head(struct xw *w)
{
	lxw_worksheet *ws = w->bva;
	const lxw_col_t ncols = bc(w, BC_ALL);
	char text[512];
	snprintf(text, sizeof(text), "Budget vs Actual (%s)", xw_currency(w));
	xw_title(w, ws, text, w->has_quarter
	         ? "Actual is the sum of the counted Ledger lines of the member and "
	           "budget line (SUMIFS), from the start to the end of the quarter; "
	           "the quarter's column sums those dated from QuarterFrom to "
	           "QuarterTo (Summary). Variance = actual - budget, for the whole "
	           "budget; variance % = variance / budget x 100, rounded half-up to "
	           "two decimals; above threshold when |variance| exceeds the "
	           "threshold (Summary) as a share of |budget|. Highlighted: yellow "
	           "above the threshold, red above it with no comment."
	         : "Actual is the sum of the counted Ledger lines of the member and "
	           "budget line (SUMIFS); variance = actual - budget; variance % = "
	           "variance / budget x 100, rounded half-up to two decimals; above "
	           "threshold when |variance| exceeds the threshold (Summary) as a "
	           "share of |budget|. Highlighted: yellow above the threshold, red "
	           "above it with no comment.", ncols - 1,
	         w->has_quarter ? 200 : 185);
	static const char *const head[BC_ALL] = {
		"Member", "Budget line", "Budget", "Actual", "", "Variance",
		"Variance %", "Above threshold", "Comment", "Budget source",
		"Original budget", "Change by revisions",
	};
	for (int c = 0; c < BC_ALL; c++) {
		if ((c == BC_QUARTER && !w->has_quarter) ||
		    (c >= BC_ORIGINAL && !has_revisions(w)))
			continue;
		bool num = (c >= BC_BUDGET && c <= BC_PCT) || c >= BC_ORIGINAL;
		const char *name = head[c];
		if (c == BC_BUDGET && has_revisions(w)) {
			if (w->r->budget.number == 1)
				snprintf(text, sizeof(text), "Budget in force (original)");
			else
				snprintf(text, sizeof(text), "Budget in force (revision %u)",
				         w->r->budget.number);
			name = text;
		} else if (w->has_quarter && c == BC_ACTUAL) {
			snprintf(text, sizeof(text), "Actual, %s", w->cumulative_head);
			name = text;
		} else if (c == BC_QUARTER) {
			snprintf(text, sizeof(text), "Actual in %s", w->quarter_head);
			name = text;
		}
		xw_text(w, ws, 3, bc(w, c), name, num ? w->header_num : w->header,
		        NULL, 0, "header");
	}
	worksheet_set_row(ws, 3, w->has_quarter ? 45 : 30, NULL);
}

/* One budget line of member m: budget, actual (SUMIFS of the Ledger), the
 * quarter, variance, above threshold, comment and where the budget is. */
static void line_row(struct xw *w, size_t m, size_t i, lxw_row_t row)
{
	lxw_worksheet *ws = w->bva;
	char text[512], v[8], mcell[16], lcell[16];
	xw_col(v, bc(w, BC_VARIANCE));
	const struct gr_line_result *lr = &w->r->lines[i];
	unsigned R = XR(row);
	xw_label_text(w, ws, row, BC_MEMBER, &w->members[m].clean, NULL);
	xw_label_text(w, ws, row, BC_LINE, &w->lines[i].clean, NULL);
	xw_money(w, ws, row, BC_BUDGET, lr->budget, w->money);
	struct xw_crit crit[4];
	snprintf(mcell, sizeof(mcell), "$A%u", R);
	snprintf(lcell, sizeof(lcell), "$B%u", R);
	xw_crit_text(&crit[0], LC_MEMBER, &w->members[m], mcell);
	xw_crit_text(&crit[1], LC_BUDGET_LINE, &w->lines[i], lcell);
	xw_buf_reset(&w->f);
	xw_ledger_sum(w, &w->f, crit, 2, true);
	xw_formula_cents(w, ws, row, BC_ACTUAL, lr->actual, w->money);
	if (w->has_quarter) {
		xw_crit_quarter(&crit[2]);
		xw_buf_reset(&w->f);
		xw_ledger_sum(w, &w->f, crit, 4, true);
		xw_formula_cents(w, ws, row, BC_QUARTER, lr->quarter_actual,
		                 w->money);
	}
	variance_cells(w, ws, row, lr->variance, lr->has_pct,
	               lr->has_pct ? strtod(lr->variance_pct, NULL) : 0,
	               w->money, w->pct);
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "IF(ROUND(ABS(%s%u)*100-Threshold*ABS(C%u),6)"
	            ">0,\"yes\",\"\")", v, R, R);
	xw_formula_str(w, ws, row, bc(w, BC_OVER),
	               lr->over_threshold ? "yes" : "", w->check);
	if (lr->comment) {
		xw_text(w, ws, row, bc(w, BC_COMMENT), lr->comment, w->wrap,
		        NULL, 0, "comment");
		xw_fit_row(w, ws, row, lr->comment, 60);
	}
	if (lr->budgeted)
		snprintf(text, sizeof(text), "%s line %ld", budget_file(w),
		         lr->budget_row_line);
	else if (mpz_sgn(lr->original_budget) != 0)
		snprintf(text, sizeof(text), "dropped by revision %u",
		         w->r->budget.number);
	else
		snprintf(text, sizeof(text), "not in the budget");
	xw_text(w, ws, row, bc(w, BC_SOURCE), text, NULL, NULL, 0,
	        "source");
	original_cells(w, row, NULL, lr->original_budget, lr->budget, w->money);
}

/* The member's subtotal over its lines, rows first..row-1. */
static void member_subtotal(struct xw *w, size_t m, lxw_row_t first,
                            lxw_row_t row)
{
	lxw_worksheet *ws = w->bva;
	const struct gr_member_result *mr = &w->r->members[m];
	unsigned R = XR(row);
	w->bva_sub_row[m] = row;
	xw_label_text(w, ws, row, BC_MEMBER, &w->members[m].clean, w->text_sub);
	xw_text(w, ws, row, BC_LINE, "Subtotal", w->text_sub, NULL, 0, "label");
	for (int c = BC_BUDGET; c <= BC_QUARTER; c++) {
		if (c == BC_QUARTER && !w->has_quarter)
			continue;
		char col[8];
		xw_col(col, (lxw_col_t)c);
		xw_buf_reset(&w->f);
		if (row > first)
			xw_buf_addf(&w->f, "SUBTOTAL(9,%s%u:%s%u)", col, XR(first),
			            col, R - 1);
		else
			xw_buf_add(&w->f, "0");  /* no budget, no spending */
		xw_formula_cents(w, ws, row, (lxw_col_t)c,
		                 c == BC_BUDGET ? mr->budget : c == BC_ACTUAL
		                 ? mr->actual : mr->quarter_actual, w->money_sub);
	}
	variance_cells(w, ws, row, mr->variance, mr->has_variance_pct,
	               mr->has_variance_pct ? strtod(mr->variance_pct, NULL)
	                                    : 0, w->money_sub, w->pct_sub);
	for (lxw_col_t c = bc(w, BC_OVER); c <= bc(w, BC_SOURCE); c++)
		xw_check(w, worksheet_write_blank(ws, row, c, w->text_sub));
	char o[8], sum[64];
	xw_col(o, bc(w, BC_ORIGINAL));
	if (row > first)
		snprintf(sum, sizeof(sum), "SUBTOTAL(9,%s%u:%s%u)", o, XR(first), o,
		         R - 1);
	else
		snprintf(sum, sizeof(sum), "0");
	original_cells(w, row, sum, mr->original_budget, mr->budget, w->money_sub);
}

/* The grand total: SUBTOTAL skips the member subtotals in its range. */
static void grand_total(struct xw *w, lxw_row_t row)
{
	lxw_worksheet *ws = w->bva;
	const struct gr_totals *t = &w->r->totals;
	w->bva_total_row = row;
	xw_text(w, ws, row, BC_MEMBER, "Total", w->text_total, NULL, 0, "label");
	xw_check(w, worksheet_write_blank(ws, row, BC_LINE, w->text_total));
	for (int c = BC_BUDGET; c <= BC_QUARTER; c++) {
		if (c == BC_QUARTER && !w->has_quarter)
			continue;
		char col[8];
		xw_col(col, (lxw_col_t)c);
		xw_buf_reset(&w->f);
		xw_buf_addf(&w->f, "SUBTOTAL(9,%s5:%s%u)", col, col, XR(row) - 1);
		xw_formula_cents(w, ws, row, (lxw_col_t)c,
		                 c == BC_BUDGET ? t->budget : c == BC_ACTUAL
		                 ? t->actual : t->quarter_actual, w->money_total);
	}
	variance_cells(w, ws, row, t->variance, t->has_variance_pct,
	               t->has_variance_pct ? strtod(t->variance_pct, NULL) : 0,
	               w->money_total, w->pct_total);
	for (lxw_col_t c = bc(w, BC_OVER); c <= bc(w, BC_SOURCE); c++)
		xw_check(w, worksheet_write_blank(ws, row, c, w->text_total));
	char o[8], sum[64];
	xw_col(o, bc(w, BC_ORIGINAL));
	snprintf(sum, sizeof(sum), "SUBTOTAL(9,%s5:%s%u)", o, o, XR(row) - 1);
	original_cells(w, row, sum, t->original_budget, t->budget,
	               w->money_total);
}

/* Above threshold: yellow; and without a comment: red. Rows 4..row-1. */
static void highlight(struct xw *w, lxw_row_t row)
{
	lxw_worksheet *ws = w->bva;
	const lxw_col_t ncols = bc(w, BC_ALL);
	char over[8], comment[8];
	xw_col(over, bc(w, BC_OVER));
	xw_col(comment, bc(w, BC_COMMENT));
	if (row > 4) {
		/* libxlsxwriter takes char *, and copies it. */
		char missing_rule[64], over_rule[32];
		snprintf(missing_rule, sizeof(missing_rule),
		         "=AND($%s5=\"yes\",LEN(TRIM($%s5))=0)", over, comment);
		snprintf(over_rule, sizeof(over_rule), "=$%s5=\"yes\"", over);
		lxw_conditional_format missing = {
			.type = LXW_CONDITIONAL_TYPE_FORMULA,
			.value_string = missing_rule,
			.format = w->cf_missing, .stop_if_true = LXW_TRUE,
		};
		lxw_conditional_format over_cf = {
			.type = LXW_CONDITIONAL_TYPE_FORMULA,
			.value_string = over_rule, .format = w->cf_over,
		};
		xw_check(w, worksheet_conditional_format_range(ws, 4, 0, row - 1,
		                                               ncols - 1, &missing));
		xw_check(w, worksheet_conditional_format_range(ws, 4, 0, row - 1,
		                                               ncols - 1, &over_cf));
	}
}

void xw_sheet_budget(struct xw *w)
{
	const struct gr_recon *r = w->r;
	const struct gr_grant *g = r->grant;
	lxw_worksheet *ws = w->bva;
	budget_head(w);
	w->bva_source_col = bc(w, BC_SOURCE);  /* the Summary's Rules use it */
	lxw_row_t row = 4;
	size_t i = 0;
	for (size_t m = 0; m < g->member_count; m++) {
		lxw_row_t first = row;
		for (; i < r->line_count && r->lines[i].member == m; i++, row++)
			line_row(w, m, i, row);
		member_subtotal(w, m, first, row);
		row++;
	}
	grand_total(w, row);
	highlight(w, row);
	worksheet_set_column(ws, BC_MEMBER, BC_MEMBER, 10, NULL);
	worksheet_set_column(ws, BC_LINE, BC_LINE, 32, NULL);
	worksheet_set_column(ws, BC_BUDGET, bc(w, BC_VARIANCE), 15, NULL);
	worksheet_set_column(ws, bc(w, BC_PCT), bc(w, BC_PCT), 10, NULL);
	worksheet_set_column(ws, bc(w, BC_OVER), bc(w, BC_OVER), 10, NULL);
	worksheet_set_column(ws, bc(w, BC_COMMENT), bc(w, BC_COMMENT), 60, NULL);
	worksheet_set_column(ws, bc(w, BC_SOURCE), bc(w, BC_SOURCE), 18, NULL);
	if (has_revisions(w))
		worksheet_set_column(ws, bc(w, BC_ORIGINAL), bc(w, BC_CHANGE), 15,
		                     NULL);
	worksheet_freeze_panes(ws, 4, 2);
	xw_print_setup(ws, 3);
}
