/*
 * xlsx_sheets.c: the sheets that present the reconciliation: Budget vs
 * Actual, Funds, Countries, Quarters, Charts, Summary and Findings.
 *
 * Every figure is a formula whose cached value is the exact figure from
 * struct gr_recon. Sums of the ledger are SUMIFS over the Ledger sheet(s)
 * (xw_ledger_sum); subtotals are SUBTOTAL(9, ...) so that a grand total
 * over lines and subtotals counts each line once.
 *
 * Rows are written strictly top to bottom (constant_memory mode): each
 * writer first works out where its tables go, then writes them in order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grantrec/changes.h"
#include "base/util.h"
#include "report/xlsx_writer.h"

/* Excel's 1-based row number of a 0-based row. */
#define XR(row) ((unsigned)(row) + 1u)

static void header_row(struct xw *w, lxw_worksheet *ws, lxw_row_t row,
                       const char *const *names, size_t n,
                       const bool *numeric)
{
	for (size_t c = 0; c < n; c++)
		xw_text(w, ws, row, (lxw_col_t)c, names[c],
		        numeric && numeric[c] ? w->header_num : w->header, NULL, 0,
		        "header");
}

/* The sheet's title, and what it shows across the table's width
 * (columns 0..last, `width` characters). */
static void title(struct xw *w, lxw_worksheet *ws, const char *text,
                  const char *note, lxw_col_t last, double width)
{
	xw_text(w, ws, 0, 0, text, w->title, NULL, 0, "title");
	if (note)
		xw_note_block(w, ws, 1, 0, last, width, note, w->note_wrap);
}

static void print_setup(lxw_worksheet *ws, lxw_row_t header)
{
	worksheet_set_landscape(ws);
	worksheet_set_paper(ws, 9);           /* A4 */
	worksheet_fit_to_pages(ws, 1, 0);     /* one page wide */
	worksheet_repeat_rows(ws, header, header);
	worksheet_set_footer(ws, "&L&A&R&P / &N");
}

static void crit_text(struct xw_crit *c, enum xw_ledger_col col,
                      const struct xw_label *label, const char *cell)
{
	*c = (struct xw_crit){
		.kind = XW_CRIT_TEXT, .col = col, .text = label->clean.text,
		.exact = label->exact, .cell = cell,
	};
}

/* ---- the quarter beside the cumulative figures ------------------------------------ */

/* The criteria of a sum over the quarter asked for: its dates, by name. */
static void crit_quarter(struct xw_crit c[2])
{
	c[0] = (struct xw_crit){ .kind = XW_CRIT_FROM, .col = LC_DATE,
	                         .cell = "QuarterFrom" };
	c[1] = (struct xw_crit){ .kind = XW_CRIT_TO, .col = LC_DATE,
	                         .cell = "QuarterTo" };
}

/* ---- Budget vs Actual ---------------------------------------------------------- */

/* BC_QUARTER exists only with --quarter; bc() gives a column's place. */
enum { BC_MEMBER, BC_LINE, BC_BUDGET, BC_ACTUAL, BC_QUARTER, BC_VARIANCE,
       BC_PCT, BC_OVER, BC_COMMENT, BC_SOURCE, BC_ALL };

static lxw_col_t bc(const struct xw *w, int c)
{
	return (lxw_col_t)(c > BC_QUARTER && !w->has_quarter ? c - 1 : c);
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

void xw_sheet_budget(struct xw *w)
{
	const struct gr_recon *r = w->r;
	const struct gr_grant *g = r->grant;
	lxw_worksheet *ws = w->bva;
	const lxw_col_t ncols = bc(w, BC_ALL);
	char text[512], v[8], over[8], comment[8];
	xw_col(v, bc(w, BC_VARIANCE));
	xw_col(over, bc(w, BC_OVER));
	xw_col(comment, bc(w, BC_COMMENT));
	snprintf(text, sizeof(text), "Budget vs Actual (%s)", xw_currency(w));
	title(w, ws, text, w->has_quarter
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
	};
	for (int c = 0; c < BC_ALL; c++) {
		if (c == BC_QUARTER && !w->has_quarter)
			continue;
		bool num = c >= BC_BUDGET && c <= BC_PCT;
		const char *name = head[c];
		if (w->has_quarter && c == BC_ACTUAL) {
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

	const char *budget_file = g->budget.name ? g->budget.name : "budget";
	lxw_row_t row = 4;
	size_t i = 0;
	char mcell[16], lcell[16];
	for (size_t m = 0; m < g->member_count; m++) {
		lxw_row_t first = row;
		for (; i < r->line_count && r->lines[i].member == m; i++, row++) {
			const struct gr_line_result *lr = &r->lines[i];
			unsigned R = XR(row);
			xw_label_text(w, ws, row, BC_MEMBER, &w->members[m].clean, NULL);
			xw_label_text(w, ws, row, BC_LINE, &w->lines[i].clean, NULL);
			xw_money(w, ws, row, BC_BUDGET, lr->budget, w->money);
			struct xw_crit crit[4];
			snprintf(mcell, sizeof(mcell), "$A%u", R);
			snprintf(lcell, sizeof(lcell), "$B%u", R);
			crit_text(&crit[0], LC_MEMBER, &w->members[m], mcell);
			crit_text(&crit[1], LC_BUDGET_LINE, &w->lines[i], lcell);
			xw_buf_reset(&w->f);
			xw_ledger_sum(w, &w->f, crit, 2, true);
			xw_formula_cents(w, ws, row, BC_ACTUAL, lr->actual, w->money);
			if (w->has_quarter) {
				crit_quarter(&crit[2]);
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
				snprintf(text, sizeof(text), "%s line %ld", budget_file,
				         lr->budget_row_line);
			else
				snprintf(text, sizeof(text), "not in the budget");
			xw_text(w, ws, row, bc(w, BC_SOURCE), text, NULL, NULL, 0,
			        "source");
		}
		/* The member's subtotal. */
		const struct gr_member_result *mr = &r->members[m];
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
		for (lxw_col_t c = bc(w, BC_OVER); c < ncols; c++)
			xw_check(w, worksheet_write_blank(ws, row, c, w->text_sub));
		row++;
	}
	/* The grand total: SUBTOTAL skips the member subtotals in its range. */
	const struct gr_totals *t = &r->totals;
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
	for (lxw_col_t c = bc(w, BC_OVER); c < ncols; c++)
		xw_check(w, worksheet_write_blank(ws, row, c, w->text_total));

	/* Above threshold: yellow; and without a comment: red. */
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
	worksheet_set_column(ws, BC_MEMBER, BC_MEMBER, 10, NULL);
	worksheet_set_column(ws, BC_LINE, BC_LINE, 32, NULL);
	worksheet_set_column(ws, BC_BUDGET, bc(w, BC_VARIANCE), 15, NULL);
	worksheet_set_column(ws, bc(w, BC_PCT), bc(w, BC_PCT), 10, NULL);
	worksheet_set_column(ws, bc(w, BC_OVER), bc(w, BC_OVER), 10, NULL);
	worksheet_set_column(ws, bc(w, BC_COMMENT), bc(w, BC_COMMENT), 60, NULL);
	worksheet_set_column(ws, bc(w, BC_SOURCE), bc(w, BC_SOURCE), 18, NULL);
	worksheet_freeze_panes(ws, 4, 2);
	print_setup(ws, 3);
}

/* ---- Funds ------------------------------------------------------------------------ */

/* Amounts stand in column D of every table on the sheet. The quarter's
 * columns exist only with --quarter; fu() gives a column's place. */
enum { FU_MEMBER, FU_NAME, FU_ROLE, FU_BUDGET, FU_ACTUAL, FU_Q_ACTUAL,
       FU_DISBURSED, FU_Q_DISBURSED, FU_POSITION, FU_MEANING, FU_ALL };

static lxw_col_t fu(const struct xw *w, int c)
{
	if (w->has_quarter)
		return (lxw_col_t)c;
	return (lxw_col_t)(c - (c > FU_Q_ACTUAL) - (c > FU_Q_DISBURSED));
}
enum { TR_NAME, TR_SOURCE, TR_STATUS, TR_AMOUNT, TR_DUE, TR_RECEIVED,
       TR_DAYS, TR_COUNT };
enum { DB_DATE, DB_SOURCE, DB_MEMBER, DB_AMOUNT, DB_NOTE, DB_COUNT };
enum { PF_MEMBER, PF_PREFINANCED = 3, PF_COVERED, PF_OWN };
#define FUNDS_WIDTH 166

struct funds_layout {
	lxw_row_t mem_first, mem_total;
	lxw_row_t tr_h2, tr_first, tr_total, tr_received, tr_outstanding;
	lxw_row_t tr_q_received;          /* --quarter */
	lxw_row_t d_h2, d_first, d_total, d_q_total;
	lxw_row_t p_h2, p_first, p_total, p_claimable, p_over;
};

static void funds_layout(const struct xw *w, struct funds_layout *L)
{
	const struct gr_recon *r = w->r;
	lxw_row_t M = (lxw_row_t)r->grant->member_count;
	lxw_row_t T = (lxw_row_t)r->tables->tranche_count;
	lxw_row_t D = (lxw_row_t)r->tables->disbursement_count;
	L->mem_first = 5;
	L->mem_total = L->mem_first + M;
	L->tr_h2 = L->mem_total + 2;
	L->tr_first = L->tr_h2 + 2;
	L->tr_total = L->tr_first + T;
	L->tr_received = L->tr_total + 1;
	L->tr_outstanding = L->tr_total + 2;
	L->tr_q_received = L->tr_outstanding + w->has_quarter;
	L->d_h2 = L->tr_q_received + 2;
	L->d_first = L->d_h2 + 2;
	L->d_total = L->d_first + D;
	L->d_q_total = L->d_total + w->has_quarter;
	L->p_h2 = L->d_q_total + 2;
	L->p_first = L->p_h2 + 2;
	L->p_total = L->p_first + M;
	L->p_claimable = L->p_total + 1;
	L->p_over = L->p_total + 2;
}

/* What a member was given: the lead keeps what it did not pass on of the
 * tranches (rows `received` and `passed` of column D); the others get their
 * rows of the disbursements, dated from `from` (a name, or NULL for the
 * start) to `to`. */
static void disbursed_formula(struct xw *w, const struct funds_layout *L,
                              size_t m, const char *mcell, lxw_row_t received,
                              lxw_row_t passed, const char *from,
                              const char *to)
{
	const struct gr_recon *r = w->r;
	unsigned DF = XR(L->d_first), DZ = XR(L->d_total) - 1;
	xw_buf_reset(&w->f);
	if (m == r->grant->lead) {
		xw_buf_addf(&w->f, "D%u-D%u", XR(received), XR(passed));
	} else if (r->tables->disbursement_count == 0) {
		xw_buf_add(&w->f, "0");
	} else if (w->members[m].exact) {
		xw_buf_addf(&w->f, "SUMPRODUCT(--EXACT(C%u:C%u,%s),", DF, DZ, mcell);
		if (from)
			xw_buf_addf(&w->f, "--(A%u:A%u>=%s),", DF, DZ, from);
		xw_buf_addf(&w->f, "--(A%u:A%u<=%s),D%u:D%u)", DF, DZ, to, DF, DZ);
	} else {
		xw_buf_addf(&w->f, "SUMIFS(D%u:D%u,C%u:C%u,", DF, DZ, DF, DZ);
		xw_add_criterion(&w->f, w->members[m].clean.text);
		if (from)
			xw_buf_addf(&w->f, ",A%u:A%u,\">=\"&%s", DF, DZ, from);
		xw_buf_addf(&w->f, ",A%u:A%u,\"<=\"&%s)", DF, DZ, to);
	}
}

static void funds_members(struct xw *w, const struct funds_layout *L)
{
	const struct gr_recon *r = w->r;
	const struct gr_grant *g = r->grant;
	lxw_worksheet *ws = w->funds;
	char mcell[16], text[160], pos[8], act[8], dis[8];
	xw_col(pos, fu(w, FU_POSITION));
	xw_col(act, fu(w, FU_ACTUAL));
	xw_col(dis, fu(w, FU_DISBURSED));
	xw_text(w, ws, 3, 0, "Members", w->h2, NULL, 0, "title");
	static const char *const head[FU_ALL] = {
		"Member", "Name", "Role", "Budget", "Actual", "", "Disbursed", "",
		"Funds position", "Position",
	};
	for (int c = 0; c < FU_ALL; c++) {
		bool q = c == FU_Q_ACTUAL || c == FU_Q_DISBURSED;
		if (q && !w->has_quarter)
			continue;
		const char *name = head[c];
		if (q) {
			snprintf(text, sizeof(text), "%s in %s", c == FU_Q_ACTUAL
			         ? "Actual" : "Disbursed", w->quarter_head);
			name = text;
		} else if (w->has_quarter && (c == FU_ACTUAL || c == FU_DISBURSED ||
		                              c == FU_POSITION)) {
			snprintf(text, sizeof(text), "%s, %s", head[c],
			         w->cumulative_head);
			name = text;
		}
		xw_text(w, ws, 4, fu(w, c), name, c >= FU_BUDGET && c <= FU_POSITION
		        ? w->header_num : w->header, NULL, 0, "header");
	}
	if (w->has_quarter)
		worksheet_set_row(ws, 4, 45, NULL);
	for (size_t m = 0; m < g->member_count; m++) {
		const struct gr_member *mem = &g->members[m];
		const struct gr_member_result *mr = &r->members[m];
		lxw_row_t row = L->mem_first + (lxw_row_t)m;
		unsigned R = XR(row);
		xw_label_text(w, ws, row, FU_MEMBER, &w->members[m].clean, NULL);
		xw_text(w, ws, row, FU_NAME, mem->name, NULL, NULL, 0, "member name");
		xw_text(w, ws, row, FU_ROLE, mem->lead ? "lead" : "member", NULL, NULL,
		        0, "role");
		xw_buf_reset(&w->f);
		xw_buf_addf(&w->f, "'Budget vs Actual'!$C$%u", XR(w->bva_sub_row[m]));
		xw_formula_cents(w, ws, row, FU_BUDGET, mr->budget, w->money);
		struct xw_crit crit[3];
		snprintf(mcell, sizeof(mcell), "$A%u", R);
		crit_text(&crit[0], LC_MEMBER, &w->members[m], mcell);
		xw_buf_reset(&w->f);
		xw_ledger_sum(w, &w->f, crit, 1, true);
		xw_formula_cents(w, ws, row, FU_ACTUAL, mr->actual, w->money);
		/* Disbursements after the as-of date do not count. */
		disbursed_formula(w, L, m, mcell, L->tr_received, L->d_total, NULL,
		                  "AsOf");
		xw_formula_cents(w, ws, row, fu(w, FU_DISBURSED), mr->disbursed,
		                 w->money);
		if (w->has_quarter) {
			crit_quarter(&crit[1]);
			xw_buf_reset(&w->f);
			xw_ledger_sum(w, &w->f, crit, 3, true);
			xw_formula_cents(w, ws, row, FU_Q_ACTUAL, mr->quarter_actual,
			                 w->money);
			disbursed_formula(w, L, m, mcell, L->tr_q_received, L->d_q_total,
			                  "QuarterFrom", "QuarterTo");
			xw_formula_cents(w, ws, row, FU_Q_DISBURSED, mr->quarter_disbursed,
			                 w->money);
		}
		xw_buf_reset(&w->f);
		xw_buf_addf(&w->f, "%s%u-%s%u", dis, R, act, R);
		xw_formula_cents(w, ws, row, fu(w, FU_POSITION), mr->position,
		                 w->money);
		xw_buf_reset(&w->f);
		xw_buf_addf(&w->f, "IF(%s%u>0,\"unspent advance\",IF(%s%u<0,"
		            "\"pre-financed\",\"balanced\"))", pos, R, pos, R);
		int sign = mpz_sgn(mr->position);
		xw_formula_str(w, ws, row, fu(w, FU_MEANING), sign > 0
		               ? "unspent advance" : sign < 0 ? "pre-financed"
		               : "balanced", NULL);
	}
	lxw_row_t row = L->mem_total;
	xw_text(w, ws, row, FU_MEMBER, "Total", w->text_total, NULL, 0, "label");
	for (int c = FU_NAME; c <= FU_ROLE; c++)
		xw_check(w, worksheet_write_blank(ws, row, (lxw_col_t)c, w->text_total));
	mpz_t sum;
	mpz_init(sum);
	for (int c = FU_BUDGET; c <= FU_POSITION; c++) {
		if ((c == FU_Q_ACTUAL || c == FU_Q_DISBURSED) && !w->has_quarter)
			continue;
		char col[8];
		xw_col(col, fu(w, c));
		xw_buf_reset(&w->f);
		if (g->member_count)
			xw_buf_addf(&w->f, "SUM(%s%u:%s%u)", col, XR(L->mem_first), col,
			            XR(row) - 1);
		else
			xw_buf_add(&w->f, "0");
		/* The column's total: what the rows show, added up. */
		mpz_set_ui(sum, 0);
		for (size_t m = 0; m < g->member_count; m++) {
			const struct gr_member_result *mr = &r->members[m];
			mpz_add(sum, sum, c == FU_BUDGET ? mr->budget : c == FU_ACTUAL
			        ? mr->actual : c == FU_Q_ACTUAL ? mr->quarter_actual
			        : c == FU_DISBURSED ? mr->disbursed : c == FU_Q_DISBURSED
			        ? mr->quarter_disbursed : mr->position);
		}
		xw_formula_cents(w, ws, row, fu(w, c), sum, w->money_total);
	}
	mpz_clear(sum);
	xw_check(w, worksheet_write_blank(ws, row, fu(w, FU_MEANING),
	                                  w->text_total));
	w->funds_first_member = L->mem_first;
	w->funds_total_row = L->mem_total;
	w->funds_position_col = fu(w, FU_POSITION);
}

static void funds_tranches(struct xw *w, const struct funds_layout *L)
{
	const struct gr_recon *r = w->r;
	const struct gr_tables *t = r->tables;
	const struct gr_grant *g = r->grant;
	lxw_worksheet *ws = w->funds;
	char text[256];
	xw_text(w, ws, L->tr_h2, 0, "Tranches from the donor", w->h2, NULL, 0,
	        "title");
	static const char *const head[TR_COUNT] = {
		"Tranche", "Source", "Status", "Amount", "Due", "Received",
		"Days overdue",
	};
	static const bool num[TR_COUNT] = {
		false, false, false, true, false, false, true,
	};
	header_row(w, ws, L->tr_h2 + 1, head, TR_COUNT, num);
	const char *file = g->tranches.name ? g->tranches.name : "tranches";
	for (size_t k = 0; k < t->tranche_count; k++) {
		const struct gr_tranche *tr = &t->tranches[k];
		const struct gr_tranche_result *res = &r->tranches[k];
		lxw_row_t row = L->tr_first + (lxw_row_t)k;
		unsigned R = XR(row);
		xw_text(w, ws, row, TR_NAME, tr->name, NULL, NULL, 0, "tranche");
		snprintf(text, sizeof(text), "%s line %ld", file, tr->line);
		xw_text(w, ws, row, TR_SOURCE, text, NULL, NULL, 0, "source");
		xw_buf_reset(&w->f);
		xw_buf_addf(&w->f, "IF(AND(F%u<>\"\",F%u<=AsOf),\"received\","
		            "IF(E%u<=AsOf,\"overdue\",\"outstanding\"))", R, R, R);
		xw_formula_str(w, ws, row, TR_STATUS,
		               gr_tranche_status_name(res->status), NULL);
		xw_money(w, ws, row, TR_AMOUNT, tr->amount, w->money);
		xw_date(w, ws, row, TR_DUE, tr->due, w->date);
		xw_date(w, ws, row, TR_RECEIVED, tr->received, w->date);
		xw_buf_reset(&w->f);
		xw_buf_addf(&w->f, "IF(C%u=\"overdue\",AsOf-E%u,\"\")", R, R);
		if (res->status == GR_TRANCHE_OVERDUE)
			xw_formula_num(w, ws, row, TR_DAYS, (double)res->days_overdue,
			               w->integer);
		else
			xw_formula_str(w, ws, row, TR_DAYS, "", w->integer);
	}
	mpz_t all;
	mpz_init(all);
	mpz_add(all, r->totals.received, r->totals.outstanding);
	bool any = t->tranche_count > 0;
	unsigned F = XR(L->tr_first), Z = XR(L->tr_total) - 1;
	xw_text(w, ws, L->tr_total, 0, "Total", w->text_total, NULL, 0, "label");
	for (int c = 1; c < TR_AMOUNT; c++)
		xw_check(w, worksheet_write_blank(ws, L->tr_total, (lxw_col_t)c,
		                                  w->text_total));
	xw_buf_reset(&w->f);
	if (any)
		xw_buf_addf(&w->f, "SUM(D%u:D%u)", F, Z);
	else
		xw_buf_add(&w->f, "0");
	xw_formula_cents(w, ws, L->tr_total, TR_AMOUNT, all, w->money_total);
	xw_text(w, ws, L->tr_received, 0, "Received", w->bold, NULL, 0, "label");
	xw_buf_reset(&w->f);
	if (any)
		xw_buf_addf(&w->f, "SUMIFS(D%u:D%u,C%u:C%u,\"received\")", F, Z, F, Z);
	else
		xw_buf_add(&w->f, "0");
	xw_formula_cents(w, ws, L->tr_received, TR_AMOUNT, r->totals.received,
	                 w->money_sub);
	xw_text(w, ws, L->tr_outstanding, 0, "Outstanding", w->bold, NULL, 0,
	        "label");
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "D%u-D%u", XR(L->tr_total), XR(L->tr_received));
	xw_formula_cents(w, ws, L->tr_outstanding, TR_AMOUNT, r->totals.outstanding,
	                 w->money_sub);
	if (w->has_quarter) {
		snprintf(text, sizeof(text), "Received in %s", w->quarter_head);
		xw_text(w, ws, L->tr_q_received, 0, text, w->bold, NULL, 0, "label");
		xw_buf_reset(&w->f);
		if (any)
			xw_buf_addf(&w->f, "SUMIFS(D%u:D%u,C%u:C%u,\"received\",F%u:F%u,"
			            "\">=\"&QuarterFrom)", F, Z, F, Z, F, Z);
		else
			xw_buf_add(&w->f, "0");
		xw_formula_cents(w, ws, L->tr_q_received, TR_AMOUNT,
		                 r->totals.quarter_received, w->money_sub);
	}
	mpz_clear(all);
	w->funds_tranche_first = L->tr_first;
	w->funds_tranche_total = L->tr_total;
	w->funds_received_row = L->tr_received;
	w->funds_outstanding_row = L->tr_outstanding;
	w->funds_q_received_row = L->tr_q_received;
}

static void funds_disbursements(struct xw *w, const struct funds_layout *L)
{
	const struct gr_recon *r = w->r;
	const struct gr_tables *t = r->tables;
	const struct gr_grant *g = r->grant;
	lxw_worksheet *ws = w->funds;
	char text[256];
	xw_text(w, ws, L->d_h2, 0, "Funds passed on by the lead", w->h2, NULL, 0,
	        "title");
	static const char *const head[DB_COUNT] = {
		"Date", "Source", "Member", "Amount", "",
	};
	static const bool num[DB_COUNT] = {false, false, false, true, false};
	header_row(w, ws, L->d_h2 + 1, head, DB_COUNT, num);
	const char *file = g->disbursements.name ? g->disbursements.name
	                                         : "disbursements";
	for (size_t k = 0; k < t->disbursement_count; k++) {
		const struct gr_disbursement *d = &t->disbursements[k];
		lxw_row_t row = L->d_first + (lxw_row_t)k;
		xw_date(w, ws, row, DB_DATE, d->date, w->date_left);
		snprintf(text, sizeof(text), "%s line %ld", file, d->line);
		xw_text(w, ws, row, DB_SOURCE, text, NULL, NULL, 0, "source");
		if (d->member < g->member_count)
			xw_label_text(w, ws, row, DB_MEMBER, &w->members[d->member].clean,
			              NULL);
		xw_money(w, ws, row, DB_AMOUNT, d->amount, w->money);
		if (d->date > r->as_of)
			xw_text(w, ws, row, DB_NOTE, "after the as-of date: not counted",
			        w->note, NULL, 0, "note");
	}
	xw_text(w, ws, L->d_total, 0, "Total", w->text_total, NULL, 0, "label");
	for (int c = 1; c < DB_AMOUNT; c++)
		xw_check(w, worksheet_write_blank(ws, L->d_total, (lxw_col_t)c,
		                                  w->text_total));
	xw_buf_reset(&w->f);
	if (t->disbursement_count)
		xw_buf_addf(&w->f, "SUMIFS(D%u:D%u,A%u:A%u,\"<=\"&AsOf)",
		            XR(L->d_first), XR(L->d_total) - 1, XR(L->d_first),
		            XR(L->d_total) - 1);
	else
		xw_buf_add(&w->f, "0");
	xw_formula_cents(w, ws, L->d_total, DB_AMOUNT, r->totals.disbursed,
	                 w->money_total);
	w->funds_disb_total = L->d_total;
	if (w->has_quarter) {
		snprintf(text, sizeof(text), "Passed on in %s", w->quarter_head);
		xw_text(w, ws, L->d_q_total, 0, text, w->bold, NULL, 0, "label");
		xw_buf_reset(&w->f);
		if (t->disbursement_count)
			xw_buf_addf(&w->f, "SUMIFS(D%u:D%u,A%u:A%u,\">=\"&QuarterFrom,"
			            "A%u:A%u,\"<=\"&QuarterTo)", XR(L->d_first),
			            XR(L->d_total) - 1, XR(L->d_first), XR(L->d_total) - 1,
			            XR(L->d_first), XR(L->d_total) - 1);
		else
			xw_buf_add(&w->f, "0");
		xw_formula_cents(w, ws, L->d_q_total, DB_AMOUNT,
		                 r->totals.quarter_disbursed, w->money_sub);
		w->funds_q_disb_row = L->d_q_total;
	}
}

static void funds_prefinancing(struct xw *w, const struct funds_layout *L)
{
	const struct gr_recon *r = w->r;
	const struct gr_grant *g = r->grant;
	const struct gr_totals *t = &r->totals;
	lxw_worksheet *ws = w->funds;
	xw_text(w, ws, L->p_h2, 0, "What the outstanding tranches will cover",
	        w->h2, NULL, 0, "title");
	static const char *const head[] = {
		"Member", "", "", "Pre-financed", "Covered by the donor",
		"Own contribution",
	};
	static const bool num[] = {false, false, false, true, true, true};
	header_row(w, ws, L->p_h2 + 1, head, 6, num);
	worksheet_set_row(ws, L->p_h2 + 1, 30, NULL);
	char pos[8];
	for (size_t m = 0; m < g->member_count; m++) {
		const struct gr_cover *c = &r->members[m].cover;
		lxw_row_t row = L->p_first + (lxw_row_t)m;
		unsigned R = XR(row);
		xw_label_text(w, ws, row, PF_MEMBER, &w->members[m].clean, NULL);
		xw_buf_reset(&w->f);
		xw_buf_addf(&w->f, "MAX(0,-%s%u)", xw_col(pos, w->funds_position_col),
		            XR(L->mem_first + (lxw_row_t)m));
		xw_formula_cents(w, ws, row, PF_PREFINANCED, c->prefinanced, w->money);
		/* The share is grantrec's: pro rata, the odd cents to the largest
		 * remainders, which no short formula says. */
		xw_money(w, ws, row, PF_COVERED, c->covered, w->money);
		xw_buf_reset(&w->f);
		xw_buf_addf(&w->f, "D%u-E%u", R, R);
		xw_formula_cents(w, ws, row, PF_OWN, c->own_contribution, w->money);
	}
	unsigned F = XR(L->p_first), Z = XR(L->p_total) - 1;
	xw_text(w, ws, L->p_total, 0, "Total", w->text_total, NULL, 0, "label");
	for (int c = 1; c < PF_PREFINANCED; c++)
		xw_check(w, worksheet_write_blank(ws, L->p_total, (lxw_col_t)c,
		                                  w->text_total));
	const mpz_t *totals[] = {
		&t->cover.prefinanced, &t->cover.covered, &t->cover.own_contribution,
	};
	for (int c = PF_PREFINANCED; c <= PF_OWN; c++) {
		char col[8];
		xw_col(col, (lxw_col_t)c);
		xw_buf_reset(&w->f);
		if (g->member_count)
			xw_buf_addf(&w->f, "SUM(%s%u:%s%u)", col, F, col, Z);
		else
			xw_buf_add(&w->f, "0");
		xw_formula_cents(w, ws, L->p_total, (lxw_col_t)c,
		                 *totals[c - PF_PREFINANCED], w->money_total);
	}
	xw_text(w, ws, L->p_claimable, 0, "Still to come from the donor",
	        w->bold, NULL, 0, "label");
	xw_buf_reset(&w->f);
	/* The donor pays at most the ceiling and at most what was spent. */
	xw_buf_addf(&w->f, "MIN(D%u,MAX(0,MIN(GrantAmount,E%u)-D%u))",
	            XR(L->tr_outstanding), XR(L->mem_total), XR(L->tr_received));
	xw_formula_cents(w, ws, L->p_claimable, 3, t->claimable, w->money_sub);
	w->funds_claimable_row = L->p_claimable;
	xw_note_block(w, ws, L->p_claimable, 4, 7, 66, "outstanding, within "
	              "the ceiling and the actual", w->note_wrap);
	xw_text(w, ws, L->p_over, 0, "Over the ceiling", w->bold, NULL, 0,
	        "label");
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "MAX(0,E%u-GrantAmount)", XR(L->mem_total));
	xw_formula_cents(w, ws, L->p_over, 3, t->over_ceiling, w->money_sub);
	xw_note_block(w, ws, L->p_over, 4, 7, 66, "actual above the grant "
	              "amount", w->note_wrap);
	xw_note_block(w, ws, L->p_over + 1, 0, 7, FUNDS_WIDTH, "The donor still "
	              "pays what is to come; it covers pre-financing pro rata, in "
	              "cents, the odd cents going to the largest remainders. The "
	              "rest of each member's pre-financing, like any spending "
	              "above the ceiling, is the member's own contribution.",
	              w->note_wrap);
}

void xw_sheet_funds(struct xw *w)
{
	lxw_worksheet *ws = w->funds;
	char text[128];
	struct funds_layout L;
	funds_layout(w, &L);
	snprintf(text, sizeof(text), "Funds (%s)", xw_currency(w));
	title(w, ws, text, w->has_quarter
	      ? "Funds position = disbursed - actual: positive is an unspent "
	        "advance, negative is pre-financed from the member's own funds. "
	        "The lead's disbursed is what it kept of the tranches received: "
	        "received minus everything it passed on. The quarter's columns "
	        "count what is dated from QuarterFrom to QuarterTo (Summary); the "
	        "others everything to the end of the quarter."
	      : "Funds position = disbursed - actual: positive is an unspent "
	        "advance, negative is pre-financed from the member's own funds. "
	        "The lead's disbursed is what it kept of the tranches received: "
	        "received minus everything it passed on.", fu(w, FU_ALL) - 1,
	      FUNDS_WIDTH + (w->has_quarter ? 32 : 0));
	funds_members(w, &L);
	funds_tranches(w, &L);
	funds_disbursements(w, &L);
	funds_prefinancing(w, &L);
	worksheet_set_column(ws, 0, 0, 30, NULL);
	worksheet_set_column(ws, 1, 1, 40, NULL);
	worksheet_set_column(ws, 2, 2, 14, NULL);
	worksheet_set_column(ws, 3, fu(w, FU_POSITION), 16, NULL);
	worksheet_set_column(ws, fu(w, FU_MEANING), fu(w, FU_MEANING), 18, NULL);
	print_setup(ws, 4);
}

/* ---- Countries ---------------------------------------------------------------------- */

void xw_sheet_countries(struct xw *w)
{
	const struct gr_recon *r = w->r;
	const struct gr_grant *g = r->grant;
	lxw_worksheet *ws = w->country_ws;
	size_t M = g->member_count;
	lxw_col_t total_col = (lxw_col_t)(1 + M);
	lxw_col_t q_col = total_col + 1;     /* --quarter */
	char text[160], ccell[16], mcell[16], col[8], last[8];
	snprintf(text, sizeof(text), "Actual per country (%s)", xw_currency(w));
	title(w, ws, text, w->has_quarter
	      ? "Each cell sums the counted Ledger lines of the member and "
	        "country (SUMIFS), from the start to the end of the quarter; the "
	        "last column those of the country dated in the quarter. Lines "
	        "with no country (head-office costs) are on the row '(no "
	        "country)'."
	      : "Each cell sums the counted Ledger lines of the member and "
	        "country (SUMIFS); lines with no country (head-office costs) are "
	        "on the row '(no country)'.", w->has_quarter ? q_col : total_col,
	      24 + 15 * (double)(M + 1 + w->has_quarter));
	if (w->has_quarter) {
		/* The member headers are the labels the sums match, so what the
		 * columns count stands above them. */
		snprintf(text, sizeof(text), "Actual, %s", w->cumulative_head);
		if (total_col > 1)
			xw_check(w, worksheet_merge_range(ws, 2, 1, 2, total_col, text,
			                                  w->header));
		else
			xw_text(w, ws, 2, 1, text, w->header, NULL, 0, "header");
		xw_text(w, ws, 2, q_col, w->quarter_head, w->header, NULL, 0,
		        "header");
		worksheet_set_row(ws, 2, 30, NULL);
	}
	xw_text(w, ws, 3, 0, "Country", w->header, NULL, 0, "header");
	for (size_t m = 0; m < M; m++)
		xw_label_text(w, ws, 3, (lxw_col_t)(1 + m), &w->members[m].clean,
		              w->header_num);
	xw_text(w, ws, 3, total_col, "Total", w->header_num, NULL, 0, "header");
	if (w->has_quarter) {
		snprintf(text, sizeof(text), "Total in %s",
		         r->quarters[r->quarter].label);
		xw_text(w, ws, 3, q_col, text, w->header_num, NULL, 0, "header");
	}
	xw_col(last, (lxw_col_t)M);
	lxw_row_t row = 4;
	w->countries_first = row;
	for (size_t i = 0; i < r->country_count; i++, row++) {
		const struct gr_country_result *c = &r->countries[i];
		unsigned R = XR(row);
		if (*c->name)
			xw_label_text(w, ws, row, 0, &w->countries[i].clean, NULL);
		else
			xw_text(w, ws, row, 0, "(no country)", w->note, NULL, 0, "label");
		snprintf(ccell, sizeof(ccell), "$A%u", R);
		for (size_t m = 0; m < M; m++) {
			struct xw_crit crit[2];
			xw_col(col, (lxw_col_t)(1 + m));
			snprintf(mcell, sizeof(mcell), "%s$4", col);
			crit_text(&crit[0], LC_MEMBER, &w->members[m], mcell);
			crit_text(&crit[1], LC_COUNTRY, &w->countries[i], ccell);
			xw_buf_reset(&w->f);
			xw_ledger_sum(w, &w->f, crit, 2, true);
			xw_formula_cents(w, ws, row, (lxw_col_t)(1 + m), c->by_member[m],
			                 w->money);
		}
		xw_buf_reset(&w->f);
		if (M)
			xw_buf_addf(&w->f, "SUM(B%u:%s%u)", R, last, R);
		else
			xw_buf_add(&w->f, "0");
		xw_formula_cents(w, ws, row, total_col, c->actual, w->money_sub);
		if (w->has_quarter) {
			struct xw_crit crit[3];
			crit_text(&crit[0], LC_COUNTRY, &w->countries[i], ccell);
			crit_quarter(&crit[1]);
			xw_buf_reset(&w->f);
			xw_ledger_sum(w, &w->f, crit, 3, true);
			xw_formula_cents(w, ws, row, q_col, c->quarter_actual, w->money);
		}
	}
	w->countries_total = row;
	xw_text(w, ws, row, 0, "Total", w->text_total, NULL, 0, "label");
	for (size_t m = 0; m <= M + w->has_quarter; m++) {
		xw_col(col, (lxw_col_t)(1 + m));
		xw_buf_reset(&w->f);
		if (r->country_count)
			xw_buf_addf(&w->f, "SUM(%s5:%s%u)", col, col, XR(row) - 1);
		else
			xw_buf_add(&w->f, "0");
		xw_formula_cents(w, ws, row, (lxw_col_t)(1 + m),
		                 m < M ? r->members[m].actual : m == M
		                 ? r->totals.actual : r->totals.quarter_actual,
		                 w->money_total);
	}
	worksheet_set_column(ws, 0, 0, 24, NULL);
	worksheet_set_column(ws, 1, total_col, 15, NULL);
	if (w->has_quarter)
		worksheet_set_column(ws, q_col, q_col, 17, NULL);
	worksheet_freeze_panes(ws, 4, 1);
	print_setup(ws, 3);
}

/* ---- Quarters ----------------------------------------------------------------------- */

lxw_row_t xw_quarter_row(size_t q)
{
	return 4 + (lxw_row_t)q;
}

lxw_col_t xw_quarter_col(const struct xw *w, size_t m)
{
	(void)w;
	return (lxw_col_t)(3 + m);
}

/* Period rows: member sums by date range, a total, and (when `cumulative`)
 * running totals per member and overall. Returns the row after the last. */
static lxw_row_t period_rows(struct xw *w, lxw_worksheet *ws, lxw_row_t row,
                             const struct gr_period_result *list, size_t n,
                             lxw_format *label_fmt)
{
	const struct gr_recon *r = w->r;
	size_t M = r->grant->member_count;
	lxw_col_t total_col = (lxw_col_t)(3 + M);
	char from[16], to[16], col[8], first[8], last[8], mcell[16], prev[8];
	mpz_t *run = gr_malloc((M + 1) * sizeof(*run));
	if (!run) {
		w->oom = true;
		return row;
	}
	for (size_t m = 0; m <= M; m++)
		mpz_init(run[m]);
	xw_col(first, 3);
	xw_col(last, (lxw_col_t)(2 + M));
	for (size_t i = 0; i < n; i++, row++) {
		const struct gr_period_result *p = &list[i];
		unsigned R = XR(row);
		xw_text(w, ws, row, 0, p->label, label_fmt, NULL, 0, "label");
		xw_date(w, ws, row, 1, p->from, w->date);
		xw_date(w, ws, row, 2, p->to, w->date);
		snprintf(from, sizeof(from), "$B%u", R);
		snprintf(to, sizeof(to), "$C%u", R);
		for (size_t m = 0; m < M; m++) {
			struct xw_crit crit[3];
			xw_col(col, (lxw_col_t)(3 + m));
			snprintf(mcell, sizeof(mcell), "%s$4", col);
			crit_text(&crit[0], LC_MEMBER, &w->members[m], mcell);
			crit[1] = (struct xw_crit){ .kind = XW_CRIT_FROM, .col = LC_DATE,
			                            .cell = from };
			crit[2] = (struct xw_crit){ .kind = XW_CRIT_TO, .col = LC_DATE,
			                            .cell = to };
			xw_buf_reset(&w->f);
			xw_ledger_sum(w, &w->f, crit, 3, true);
			xw_formula_cents(w, ws, row, (lxw_col_t)(3 + m), p->by_member[m],
			                 w->money);
		}
		xw_buf_reset(&w->f);
		if (M)
			xw_buf_addf(&w->f, "SUM(%s%u:%s%u)", first, R, last, R);
		else
			xw_buf_add(&w->f, "0");
		xw_formula_cents(w, ws, row, total_col, p->actual, w->money_sub);
		/* Running totals: the previous row's plus this row's. */
		for (size_t m = 0; m <= M; m++) {
			lxw_col_t src = (lxw_col_t)(3 + m);
			lxw_col_t dst = (lxw_col_t)(4 + M + m);
			mpz_add(run[m], run[m], m < M ? p->by_member[m] : p->actual);
			xw_col(col, src);
			xw_col(prev, dst);
			xw_buf_reset(&w->f);
			if (i == 0)
				xw_buf_addf(&w->f, "%s%u", col, R);
			else
				xw_buf_addf(&w->f, "%s%u+%s%u", prev, R - 1, col, R);
			xw_formula_cents(w, ws, row, dst, run[m],
			                 m < M ? w->money : w->money_sub);
		}
	}
	for (size_t m = 0; m <= M; m++)
		mpz_clear(run[m]);
	free(run);
	return row;
}

/* The figures members declared for a quarter (declared.csv) against the
 * quarter's row above. */
enum { DC_QUARTER, DC_MEMBER, DC_LINE, DC_DECLARED, DC_LEDGER, DC_DIFFERENCE,
       DC_COUNT };

static void quarters_declared(struct xw *w, lxw_row_t row)
{
	const struct gr_recon *r = w->r;
	const struct gr_grant *g = r->grant;
	lxw_worksheet *ws = w->quarters;
	char text[256], col[8];
	snprintf(text, sizeof(text), "Figures the members declared (%s), against "
	         "the ledger (%s)", g->declared.name ? g->declared.name
	         : "declared", xw_currency(w));
	xw_text(w, ws, row++, 0, text, w->h2, NULL, 0, "title");
	static const char *const head[DC_COUNT] = {
		"Quarter", "Member", "Line", "Declared", "Ledger", "Difference",
	};
	static const bool num[DC_COUNT] = {false, false, true, true, true, true};
	header_row(w, ws, row++, head, DC_COUNT, num);
	lxw_row_t first = row;
	for (size_t i = 0; i < r->declared_count; i++, row++) {
		const struct gr_declared_result *d = &r->declared[i];
		unsigned R = XR(row);
		xw_text(w, ws, row, DC_QUARTER, r->quarters[d->quarter].label, NULL,
		        NULL, 0, "quarter");
		xw_label_text(w, ws, row, DC_MEMBER, &w->members[d->member].clean,
		              NULL);
		xw_number(w, ws, row, DC_LINE, (double)d->declared->line, w->integer);
		xw_money(w, ws, row, DC_DECLARED, d->declared->amount, w->money);
		xw_buf_reset(&w->f);
		xw_buf_addf(&w->f, "%s%u", xw_col(col, xw_quarter_col(w, d->member)),
		            XR(xw_quarter_row(d->quarter)));
		xw_formula_cents(w, ws, row, DC_LEDGER, d->ledger, w->money);
		xw_buf_reset(&w->f);
		xw_buf_addf(&w->f, "D%u-E%u", R, R);
		xw_formula_cents(w, ws, row, DC_DIFFERENCE, d->difference, w->money);
	}
	/* A figure that differs from the ledger stands out. */
	char rule[32];
	snprintf(rule, sizeof(rule), "=$F%u<>0", XR(first));
	lxw_conditional_format cf = {
		.type = LXW_CONDITIONAL_TYPE_FORMULA, .value_string = rule,
		.format = w->cf_over,
	};
	xw_check(w, worksheet_conditional_format_range(ws, first, 0, row - 1,
	                                               DC_COUNT - 1, &cf));
	xw_note_block(w, ws, row, 0, DC_COUNT - 1, 70, "Declared: the member's "
	              "own figure (a value); ledger: the quarter's cell above; "
	              "difference = declared - ledger.", w->note_wrap);
}

void xw_sheet_quarters(struct xw *w)
{
	const struct gr_recon *r = w->r;
	const struct gr_grant *g = r->grant;
	lxw_worksheet *ws = w->quarters;
	size_t M = g->member_count;
	lxw_col_t total_col = (lxw_col_t)(3 + M);
	char text[160], col[8];
	snprintf(text, sizeof(text), "Actual per quarter (%s)", xw_currency(w));
	title(w, ws, text, g->quarters == GR_QUARTERS_GRANT
	      ? "Quarters are three-month periods counted from the grant's start. "
	        "Each cell sums the counted Ledger lines of the member dated from "
	        "'From' to 'To' (SUMIFS); the cumulative columns add up the "
	        "quarters so far."
	      : "Quarters are calendar quarters, cut to the grant period. Each "
	        "cell sums the counted Ledger lines of the member dated from "
	        "'From' to 'To' (SUMIFS); the cumulative columns add up the "
	        "quarters so far.", (lxw_col_t)(4 + 2 * M),
	      31 + 13 * (double)(2 * M + 2));
	xw_text(w, ws, 3, 0, "Quarter", w->header, NULL, 0, "header");
	xw_text(w, ws, 3, 1, "From", w->header, NULL, 0, "header");
	xw_text(w, ws, 3, 2, "To", w->header, NULL, 0, "header");
	for (size_t m = 0; m < M; m++) {
		xw_label_text(w, ws, 3, (lxw_col_t)(3 + m), &w->members[m].clean,
		              w->header_num);
		snprintf(text, sizeof(text), "%s cumulative", w->members[m].clean.text);
		xw_text(w, ws, 3, (lxw_col_t)(4 + M + m), text, w->header_num, NULL, 0,
		        "header");
	}
	xw_text(w, ws, 3, total_col, "Total", w->header_num, NULL, 0, "header");
	xw_text(w, ws, 3, (lxw_col_t)(4 + 2 * M), "Total cumulative",
	        w->header_num, NULL, 0, "header");
	worksheet_set_row(ws, 3, 30, NULL);
	lxw_row_t row = period_rows(w, ws, 4, r->quarters, r->quarter_count, NULL);
	w->quarters_total = row;
	xw_text(w, ws, row, 0, "Total", w->text_total, NULL, 0, "label");
	xw_check(w, worksheet_write_blank(ws, row, 1, w->text_total));
	xw_check(w, worksheet_write_blank(ws, row, 2, w->text_total));
	for (size_t m = 0; m <= M; m++) {
		xw_col(col, (lxw_col_t)(3 + m));
		xw_buf_reset(&w->f);
		if (r->quarter_count)
			xw_buf_addf(&w->f, "SUM(%s5:%s%u)", col, col, XR(row) - 1);
		else
			xw_buf_add(&w->f, "0");
		xw_formula_cents(w, ws, row, (lxw_col_t)(3 + m),
		                 m < M ? r->members[m].actual : r->totals.actual,
		                 w->money_total);
	}
	if (r->declared_count)
		quarters_declared(w, row + 2);
	worksheet_set_column(ws, 0, 0, 9, NULL);
	worksheet_set_column(ws, 1, 2, 11, NULL);
	worksheet_set_column(ws, 3, (lxw_col_t)(4 + 2 * M), 13, NULL);
	worksheet_freeze_panes(ws, 4, 1);
	print_setup(ws, 3);
}

/* ---- Charts ------------------------------------------------------------------------ */

static void add_chart(struct xw *w, lxw_worksheet *ws, lxw_row_t row,
                      lxw_chart *chart)
{
	lxw_chart_options opt = { .x_scale = 1.55, .y_scale = 1.1 };
	xw_check(w, worksheet_insert_chart_opt(ws, row, 0, chart, &opt));
}

void xw_sheet_charts(struct xw *w)
{
	const struct gr_recon *r = w->r;
	const struct gr_tables *t = r->tables;
	const struct gr_grant *g = r->grant;
	lxw_worksheet *ws = w->charts;
	char text[160];
	/* A report as of a date before the end (the Summary's forecast): the
	 * months after it carry the budget and the projection only. */
	bool project = w->forecast_total_row > 0 && r->month_count > 0;
	bool more_months = project && gr_date_add_months(gr_date_month_start(
		r->months[r->month_count - 1].from), 1) <= g->end;
	snprintf(text, sizeof(text), "Charts (%s)", xw_currency(w));
	title(w, ws, text, project
	      ? "Budget and actual per member (from Funds), cumulative actual by "
	        "month against the budget and the tranches received (table "
	        "below), with the projection from the as-of date to the end "
	        "(Summary, burn rate and forecast), actual per country (from "
	        "Countries)."
	      : "Budget and actual per member (from Funds), cumulative actual by "
	        "month against the budget and the tranches received (table "
	        "below), actual per country (from Countries).", project ? 7 : 6,
	      project ? 117 : 100);
	static const char *const head[] = {
		"Month", "From", "To", "Actual", "Cumulative actual", "Budget",
		"Tranches received", "Projection",
	};
	static const bool num[] = {
		false, false, false, true, true, true, true, true,
	};
	header_row(w, ws, 3, head, project ? 8 : 7, num);
	worksheet_set_row(ws, 3, 30, NULL);
	lxw_row_t row = 4;
	w->months_first = row;
	mpz_t run, received;
	mpz_inits(run, received, NULL);
	char from[16], to[16];
	unsigned tf = XR(w->funds_tranche_first), tz = XR(w->funds_tranche_total) - 1;
	for (size_t i = 0; i < r->month_count; i++, row++) {
		const struct gr_period_result *p = &r->months[i];
		unsigned R = XR(row);
		xw_text(w, ws, row, 0, p->label, NULL, NULL, 0, "label");
		xw_date(w, ws, row, 1, p->from, w->date);
		xw_date(w, ws, row, 2, p->to, w->date);
		snprintf(from, sizeof(from), "$B%u", R);
		snprintf(to, sizeof(to), "$C%u", R);
		struct xw_crit crit[2] = {
			{ .kind = XW_CRIT_FROM, .col = LC_DATE, .cell = from },
			{ .kind = XW_CRIT_TO, .col = LC_DATE, .cell = to },
		};
		xw_buf_reset(&w->f);
		xw_ledger_sum(w, &w->f, crit, 2, true);
		xw_formula_cents(w, ws, row, 3, p->actual, w->money);
		mpz_add(run, run, p->actual);
		xw_buf_reset(&w->f);
		if (i == 0)
			xw_buf_addf(&w->f, "D%u", R);
		else
			xw_buf_addf(&w->f, "E%u+D%u", R - 1, R);
		xw_formula_cents(w, ws, row, 4, run, w->money);
		xw_buf_reset(&w->f);
		xw_buf_addf(&w->f, "'Budget vs Actual'!$C$%u", XR(w->bva_total_row));
		xw_formula_cents(w, ws, row, 5, r->totals.budget, w->money);
		/* Tranches received by the end of the month. */
		mpz_set_ui(received, 0);
		for (size_t k = 0; k < t->tranche_count; k++)
			if (t->tranches[k].received != GR_NO_DATE &&
			    t->tranches[k].received <= p->to &&
			    t->tranches[k].received <= r->as_of)
				mpz_add(received, received, t->tranches[k].amount);
		xw_buf_reset(&w->f);
		if (t->tranche_count)
			xw_buf_addf(&w->f, "SUMIFS(Funds!$D$%u:$D$%u,Funds!$F$%u:$F$%u,"
			            "\"<=\"&C%u,Funds!$F$%u:$F$%u,\"<=\"&AsOf)", tf, tz, tf,
			            tz, R, tf, tz);
		else
			xw_buf_add(&w->f, "0");
		xw_formula_cents(w, ws, row, 6, received, w->money);
		if (project && i + 1 == r->month_count) {
			/* The projection starts from the actual at the as-of date;
			 * when the end date falls in the same month, only its end
			 * point is left to show. */
			xw_buf_reset(&w->f);
			if (more_months) {
				xw_buf_addf(&w->f, "E%u", R);
				xw_formula_cents(w, ws, row, 7, run, w->money);
			} else {
				xw_buf_addf(&w->f, "Summary!$G$%u", XR(w->forecast_total_row));
				xw_formula_cents(w, ws, row, 7, r->totals.forecast.projected,
				                 w->money);
			}
		}
	}
	mpz_clears(run, received, NULL);
	if (project) {
		/* The months from the as-of date's to the end, and the projected
		 * actual at the end (the Summary's figure). */
		gr_date ms = gr_date_month_start(r->months[r->month_count - 1].from);
		for (ms = gr_date_add_months(ms, 1); ms <= g->end;
		     ms = gr_date_add_months(ms, 1), row++) {
			int y, m, d;
			gr_date_to_ymd(ms, &y, &m, &d);
			snprintf(text, sizeof(text), "%04d-%02d", y, m);
			gr_date me = gr_date_add_months(ms, 1) - 1;
			if (me > g->end)
				me = g->end;
			xw_text(w, ws, row, 0, text, w->note, NULL, 0, "label");
			xw_date(w, ws, row, 1, ms, w->date);
			xw_date(w, ws, row, 2, me, w->date);
			xw_buf_reset(&w->f);
			xw_buf_addf(&w->f, "'Budget vs Actual'!$C$%u",
			            XR(w->bva_total_row));
			xw_formula_cents(w, ws, row, 5, r->totals.budget, w->money);
			if (me == g->end) {
				xw_buf_reset(&w->f);
				xw_buf_addf(&w->f, "Summary!$G$%u",
				            XR(w->forecast_total_row));
				xw_formula_cents(w, ws, row, 7, r->totals.forecast.projected,
				                 w->money);
			}
		}
	}
	worksheet_set_column(ws, 0, 0, 10, NULL);
	worksheet_set_column(ws, 1, 2, 11, NULL);
	worksheet_set_column(ws, 3, project ? 7 : 6, 17, NULL);

	lxw_row_t at = row + 2;
	unsigned mf = XR(w->funds_first_member), mz = XR(w->funds_total_row) - 1;
	if (g->member_count) {
		lxw_chart *c = workbook_add_chart(w->wb, LXW_CHART_COLUMN);
		if (!c) {
			w->oom = true;
			return;
		}
		chart_title_set_name(c, "Budget and actual per member");
		lxw_chart_series *s = chart_add_series(c, NULL, NULL);
		chart_series_set_categories(s, "Funds", mf - 1, 0, mz - 1, 0);
		chart_series_set_values(s, "Funds", mf - 1, 3, mz - 1, 3);
		chart_series_set_name(s, "Budget");
		s = chart_add_series(c, NULL, NULL);
		chart_series_set_categories(s, "Funds", mf - 1, 0, mz - 1, 0);
		chart_series_set_values(s, "Funds", mf - 1, 4, mz - 1, 4);
		chart_series_set_name(s, "Actual");
		chart_axis_set_num_format(c->y_axis, "#,##0");
		chart_legend_set_position(c, LXW_CHART_LEGEND_BOTTOM);
		add_chart(w, ws, at, c);
		at += 18;
	}
	if (r->month_count) {
		lxw_chart *c = workbook_add_chart(w->wb, LXW_CHART_LINE);
		if (!c) {
			w->oom = true;
			return;
		}
		chart_title_set_name(c, "Cumulative actual by month");
		lxw_row_t a = w->months_first, z = row - 1;
		static const char *const names[] = {
			"Cumulative actual", "Budget", "Tranches received",
			"Projection to the end date",
		};
		for (int k = 0; k < (project ? 4 : 3); k++) {
			lxw_chart_series *s = chart_add_series(c, NULL, NULL);
			chart_series_set_categories(s, "Charts", a, 0, z, 0);
			chart_series_set_values(s, "Charts", a, (lxw_col_t)(4 + k), z,
			                        (lxw_col_t)(4 + k));
			chart_series_set_name(s, names[k]);
			if (k == 3) {
				/* Two points, as-of and end, joined across the months
				 * between (left blank). */
				lxw_chart_line line = {
					.color = 0xC00000, .dash_type = LXW_CHART_LINE_DASH_DASH,
					.width = 2.25,
				};
				chart_series_set_line(s, &line);
				chart_series_set_marker_type(s, LXW_CHART_MARKER_CIRCLE);
			}
		}
		if (project)
			chart_show_blanks_as(c, LXW_CHART_BLANKS_AS_CONNECTED);
		chart_axis_set_num_format(c->y_axis, "#,##0");
		chart_legend_set_position(c, LXW_CHART_LEGEND_BOTTOM);
		add_chart(w, ws, at, c);
		at += 18;
	}
	if (r->country_count) {
		lxw_chart *c = workbook_add_chart(w->wb, LXW_CHART_BAR);
		if (!c) {
			w->oom = true;
			return;
		}
		chart_title_set_name(c, "Actual per country");
		lxw_chart_series *s = chart_add_series(c, NULL, NULL);
		lxw_col_t tc = (lxw_col_t)(1 + g->member_count);
		chart_series_set_categories(s, "Countries", w->countries_first, 0,
		                            w->countries_total - 1, 0);
		chart_series_set_values(s, "Countries", w->countries_first, tc,
		                        w->countries_total - 1, tc);
		chart_series_set_name(s, "Actual");
		chart_axis_set_num_format(c->x_axis, "#,##0");
		chart_axis_set_reverse(c->y_axis);  /* first country on top */
		chart_legend_set_position(c, LXW_CHART_LEGEND_NONE);
		lxw_chart_options opt = {
			.x_scale = 1.55,
			.y_scale = 1.1 + 0.04 * (double)(r->country_count > 10
			                                 ? r->country_count - 10 : 0),
		};
		xw_check(w, worksheet_insert_chart_opt(ws, at, 0, c, &opt));
	}
	worksheet_set_portrait(ws);
	worksheet_set_paper(ws, 9);
	worksheet_fit_to_pages(ws, 1, 0);
}

/* ---- Summary ------------------------------------------------------------------------- */

/* The Summary's columns: label (A), value (B), then six narrow columns
 * C:H for the tables' figures, across which notes run; the forecast's
 * table reaches I. */
#define SUMMARY_NOTE_WIDTH 96
#define SUMMARY_WIDTH 176
#define SUMMARY_LAST 7

static void summary_note(struct xw *w, lxw_row_t row, const char *note)
{
	xw_note_block(w, w->summary, row, 2, SUMMARY_LAST, SUMMARY_NOTE_WIDTH,
	              note, w->note_wrap);
}

/* A note from column `first` to the last of the notes. */
static void summary_note_from(struct xw *w, lxw_row_t row, lxw_col_t first,
                              const char *note)
{
	xw_note_block(w, w->summary, row, first, SUMMARY_LAST,
	              SUMMARY_NOTE_WIDTH - 16.0 * (double)(first - 2), note,
	              w->note_wrap);
}

static void kv(struct xw *w, lxw_row_t row, const char *label,
               const char *value, const char *note)
{
	lxw_worksheet *ws = w->summary;
	xw_text(w, ws, row, 0, label, w->bold, NULL, 0, "label");
	xw_text(w, ws, row, 1, value ? value : "", NULL, NULL, 0, "value");
	if (note)
		summary_note(w, row, note);
}

static void summary_grant(struct xw *w)
{
	const struct gr_recon *r = w->r;
	const struct gr_grant *g = r->grant;
	lxw_worksheet *ws = w->summary;
	char text[256];
	xw_text(w, ws, 3, 0, "Grant", w->h2, NULL, 0, "title");
	kv(w, 4, "Name", g->name, NULL);
	kv(w, 5, "Donor", g->donor, NULL);
	kv(w, 6, "Reference", g->reference, NULL);
	xw_text(w, ws, SR_START, 0, "Period start", w->bold, NULL, 0, "label");
	xw_date(w, ws, SR_START, 1, g->start, w->date_left);
	xw_text(w, ws, SR_END, 0, "Period end", w->bold, NULL, 0, "label");
	xw_date(w, ws, SR_END, 1, g->end, w->date_left);
	summary_note(w, SR_END, "Ledger lines dated outside the period are "
	             "listed on the Ledger but not counted.");
	kv(w, 9, "Currency", g->currency, "All figures are in this currency "
	   "unless a column says otherwise.");
	xw_text(w, ws, SR_AMOUNT, 0, "Grant amount (ceiling)", w->bold, NULL, 0,
	        "label");
	xw_money(w, ws, SR_AMOUNT, 1, g->amount, w->money);
	kv(w, 11, "Rounding rule", gr_rounding_name(g->rounding),
	   g->rounding == GR_ROUND_HALF_UP
	   ? "Each converted line rounded to the cent once, half away from "
	     "zero (see below)."
	   : "Each converted line rounded to the cent once, half to even (see "
	     "below).");
	xw_text(w, ws, SR_THRESHOLD, 0, "Variance threshold (%)", w->bold, NULL,
	        0, "label");
	xw_number(w, ws, SR_THRESHOLD, 1, xw_decimal(&g->threshold), NULL);
	summary_note(w, SR_THRESHOLD, "A budget line whose variance is above "
	             "this percentage of its budget needs a comment.");
	kv(w, 13, "Quarters", g->quarters == GR_QUARTERS_GRANT ? "grant"
	   : "calendar", g->quarters == GR_QUARTERS_GRANT
	   ? "Three-month periods counted from the start of the grant."
	   : "Calendar quarters, cut to the grant period.");
	xw_text(w, ws, SR_AS_OF, 0, "As of", w->bold, NULL, 0, "label");
	xw_date(w, ws, SR_AS_OF, 1, r->as_of, w->date_left);
	if (r->as_of_given)
		snprintf(text, sizeof(text), "%s: the books as they stood on this "
		         "date. %zu ledger line%s dated after it %s listed on the "
		         "Ledger, left out.", r->quarter >= 0
		         ? "The last day of the quarter asked for (--quarter)"
		         : "Given with --as-of", r->lines_after_as_of,
		         r->lines_after_as_of == 1 ? "" : "s",
		         r->lines_after_as_of == 1 ? "is" : "are");
	else
		snprintf(text, sizeof(text), "The latest date in the inputs: tranche "
		         "status and days overdue are as of this date.");
	summary_note(w, SR_AS_OF, text);
	if (!w->has_quarter)
		return;
	const struct gr_period_result *q = &r->quarters[r->quarter];
	kv(w, SR_QUARTER, "Quarter (--quarter)", q->label, "Its figures stand "
	   "beside the cumulative ones on Budget vs Actual, Funds and Countries: "
	   "sums of the counted Ledger lines dated from QuarterFrom to QuarterTo.");
	xw_text(w, ws, SR_QUARTER_FROM, 0, "Quarter from", w->bold, NULL, 0,
	        "label");
	xw_date(w, ws, SR_QUARTER_FROM, 1, q->from, w->date_left);
	summary_note(w, SR_QUARTER_FROM, "Named QuarterFrom in the formulas.");
	xw_text(w, ws, SR_QUARTER_TO, 0, "Quarter to", w->bold, NULL, 0, "label");
	xw_date(w, ws, SR_QUARTER_TO, 1, q->to, w->date_left);
	summary_note(w, SR_QUARTER_TO, "Named QuarterTo in the formulas.");
}

/* A link in column C to a cell of another sheet (its row, 0-based). */
static void link_at(struct xw *w, lxw_row_t row, const char *sheet,
                    lxw_row_t at)
{
	char url[96];
	snprintf(url, sizeof(url), "internal:'%s'!A%u", sheet, XR(at));
	xw_check(w, worksheet_write_url_opt(w->summary, row, 2, url, NULL, sheet,
	                                    NULL));
}

static void link_cell(struct xw *w, lxw_row_t row, const char *sheet)
{
	link_at(w, row, sheet, 0);
}

/* A key figure: label, formula (w->f) with its exact value, and a link to
 * the sheet that details it or a note. */
static void figure(struct xw *w, lxw_row_t row, const char *label,
                   const mpz_t cents, const char *sheet)
{
	xw_text(w, w->summary, row, 0, label, w->bold, NULL, 0, "label");
	xw_formula_cents(w, w->summary, row, 1, cents, w->money);
	if (sheet)
		link_cell(w, row, sheet);
}

/* Rows of the key figures that the cross-checks refer to. */
struct figure_rows {
	lxw_row_t budget, actual, variance, received;
	lxw_row_t bridge_budget, rate_effect, spending_effect;
	bool fx_effect;
};

static lxw_row_t summary_figures(struct xw *w, lxw_row_t row,
                                 struct figure_rows *fr)
{
	const struct gr_recon *r = w->r;
	const struct gr_totals *t = &r->totals;
	lxw_worksheet *ws = w->summary;
	char text[160], col[8];
	snprintf(text, sizeof(text), "Key figures (%s)", xw_currency(w));
	xw_text(w, ws, row++, 0, text, w->h2, NULL, 0, "title");
	static const char *const head[] = {"Figure", "Amount", "Details"};
	static const bool num[] = {false, true, false};
	header_row(w, ws, row++, head, 3, num);
	unsigned bt = XR(w->bva_total_row);

	fr->budget = row;
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "'Budget vs Actual'!$C$%u", bt);
	figure(w, row++, "Budget", t->budget, "Budget vs Actual");
	fr->actual = row;
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "'Budget vs Actual'!$D$%u", bt);
	figure(w, row++, "Actual", t->actual, "Budget vs Actual");
	fr->variance = row;
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "B%u-B%u", XR(fr->actual), XR(fr->budget));
	figure(w, row++, "Variance (actual - budget)", t->variance,
	       "Budget vs Actual");
	xw_text(w, ws, row, 0, "Variance %", w->bold, NULL, 0, "label");
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "IF(B%u=0,\"\",ROUND(B%u/B%u*100,2))", XR(fr->budget),
	            XR(fr->variance), XR(fr->budget));
	if (t->has_variance_pct)
		xw_formula_num(w, ws, row, 1, strtod(t->variance_pct, NULL), w->pct);
	else
		xw_formula_str(w, ws, row, 1, "", w->pct);
	link_cell(w, row++, "Budget vs Actual");
	if (r->quarter >= 0 && (size_t)r->quarter < r->quarter_count) {
		/* --quarter: that quarter's actual, beside the cumulative. */
		snprintf(text, sizeof(text), "Actual in quarter %s",
		         r->quarters[r->quarter].label);
		xw_buf_reset(&w->f);
		xw_buf_addf(&w->f, "Quarters!$%s$%u",
		            xw_col(col, (lxw_col_t)(3 + r->grant->member_count)),
		            XR(4 + (lxw_row_t)r->quarter));
		figure(w, row++, text, t->quarter_actual, "Quarters");
		snprintf(text, sizeof(text), "Received from the donor in %s",
		         r->quarters[r->quarter].label);
		xw_buf_reset(&w->f);
		xw_buf_addf(&w->f, "Funds!$D$%u", XR(w->funds_q_received_row));
		figure(w, row++, text, t->quarter_received, "Funds");
		snprintf(text, sizeof(text), "Passed on to members in %s",
		         r->quarters[r->quarter].label);
		xw_buf_reset(&w->f);
		xw_buf_addf(&w->f, "Funds!$D$%u", XR(w->funds_q_disb_row));
		figure(w, row++, text, t->quarter_disbursed, "Funds");
	}
	fr->received = row;
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "Funds!$D$%u", XR(w->funds_received_row));
	figure(w, row++, "Received from the donor", t->received, "Funds");
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "Funds!$D$%u", XR(w->funds_outstanding_row));
	figure(w, row++, "Outstanding tranches", t->outstanding, "Funds");
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "Funds!$D$%u", XR(w->funds_disb_total));
	figure(w, row++, "Passed on to members", t->disbursed, "Funds");
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "Funds!$D$%u", XR(w->funds_claimable_row));
	figure(w, row++, "Still to come from the donor", t->claimable, "Funds");
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "MAX(0,B%u-GrantAmount)", XR(fr->actual));
	figure(w, row++, "Over the ceiling", t->over_ceiling, "Funds");
	xw_buf_reset(&w->f);
	xw_ledger_sum(w, &w->f, NULL, 0, false);
	figure(w, row++, "Outside the period (listed, not counted)",
	       t->outside_period, "Ledger");
	xw_text(w, ws, row, 0, "Rounding difference", w->bold, NULL, 0, "label");
	xw_number(w, ws, row, 1, xw_rational(t->rounding_difference, 6), w->rate);
	summary_note(w, row++, "Actual minus the exact unrounded sum, by "
	             "grantrec with exact fractions (a value).");
	return row;
}

/* "OK" when the cell `a` equals the cell `b` to the cent, else the
 * difference; `ok` and `diff` are the exact outcome. */
static void check_cell(struct xw *w, lxw_row_t row, lxw_col_t col,
                       const char *a, const char *b, const mpz_t diff)
{
	lxw_worksheet *ws = w->summary;
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "IF(ROUND(%s-%s,2)=0,\"OK\",ROUND(%s-%s,2))", a, b, a,
	            b);
	if (mpz_sgn(diff) == 0)
		xw_formula_str(w, ws, row, col, "OK", w->check);
	else
		xw_formula_cents(w, ws, row, col, diff, w->check);
}

/* Green for OK, red for anything else, over column `col` of rows
 * first..last. */
static void ok_colours(struct xw *w, lxw_row_t first, lxw_row_t last,
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

/* The grant's exchange-rate bridge (budget_rates): budget + spending
 * effect + rate effect = actual, the last checked against Actual above. */
static lxw_row_t summary_bridge(struct xw *w, lxw_row_t row,
                                struct figure_rows *fr)
{
	const struct gr_recon *r = w->r;
	const struct gr_totals *t = &r->totals;
	const struct gr_fx_effect *fe = &t->fx_effect;
	lxw_worksheet *ws = w->summary;
	char text[160], a[16], b[16];
	fr->fx_effect = true;
	snprintf(text, sizeof(text), "Why actual differs from budget (%s)",
	         xw_currency(w));
	xw_text(w, ws, row++, 0, text, w->h2, NULL, 0, "title");
	lxw_row_t at = row;
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "FX!$C$%u", XR(w->fx_bridge_total));
	figure(w, row, "Actual at the planning rates", fe->at_budget_rates, NULL);
	link_at(w, row++, "FX", w->fx_bridge_first - 3);
	fr->bridge_budget = row;
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "B%u", XR(fr->budget));
	figure(w, row, "Budget", t->budget, NULL);
	summary_note(w, row++, "as above");
	fr->spending_effect = row;
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "B%u-B%u", XR(at), XR(fr->bridge_budget));
	figure(w, row, "+ Spending effect", fe->spending_effect, NULL);
	summary_note(w, row++, "actual at the planning rates - budget: spending "
	             "that differs from the plan");
	fr->rate_effect = row;
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "B%u-B%u", XR(fr->actual), XR(at));
	figure(w, row, "+ Rate effect", fe->rate_effect, NULL);
	summary_note(w, row++, "actual - actual at the planning rates: the rates "
	             "of the day against the plan");
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "B%u+B%u+B%u", XR(fr->bridge_budget),
	            XR(fr->spending_effect), XR(fr->rate_effect));
	mpz_t sum, diff;
	mpz_inits(sum, diff, NULL);
	mpz_add(sum, t->budget, fe->spending_effect);
	mpz_add(sum, sum, fe->rate_effect);
	mpz_sub(diff, sum, t->actual);
	xw_text(w, ws, row, 0, "= Actual", w->bold, NULL, 0, "label");
	xw_formula_cents(w, ws, row, 1, sum, w->money_total);
	snprintf(a, sizeof(a), "B%u", XR(row));
	snprintf(b, sizeof(b), "B%u", XR(fr->actual));
	check_cell(w, row, 2, a, b, diff);
	ok_colours(w, row, row, 2);
	summary_note_from(w, row++, 3, "against Actual above, to the cent");
	mpz_clears(sum, diff, NULL);
	return row;
}

static const struct gr_check *find_check(const struct gr_recon *r,
                                         const char *name)
{
	for (size_t i = 0; i < r->check_count; i++)
		if (strcmp(r->checks[i].name, name) == 0)
			return &r->checks[i];
	return NULL;
}

static lxw_row_t summary_checks(struct xw *w, lxw_row_t row,
                                const struct figure_rows *fr)
{
	const struct gr_recon *r = w->r;
	lxw_worksheet *ws = w->summary;
	size_t M = r->grant->member_count;
	xw_text(w, ws, row++, 0, "Cross-checks", w->h2, NULL, 0, "title");
	static const char *const head[] = {"Check", "Left", "Right", "Result"};
	static const bool num[] = {false, true, true, false};
	header_row(w, ws, row++, head, 4, num);
	lxw_row_t lt = row;
	xw_text(w, ws, row, 0, "Ledger total (counted lines)", w->bold, NULL, 0,
	        "label");
	xw_buf_reset(&w->f);
	xw_ledger_sum(w, &w->f, NULL, 0, true);
	xw_formula_cents(w, ws, row, 1, r->totals.actual, w->money);
	link_cell(w, row, "Ledger");
	row++;
	unsigned LT = XR(lt);
	char col[8];
	lxw_row_t first = row;
	for (size_t i = 0; i < r->check_count; i++, row++) {
		const struct gr_check *c = &r->checks[i];
		unsigned R = XR(row);
		xw_text(w, ws, row, 0, c->name, NULL, NULL, 0, "check");
		char left[128] = "", right[128];
		snprintf(right, sizeof(right), "B%u", LT);
		if (c == find_check(r, "members = ledger")) {
			if (M)
				snprintf(left, sizeof(left), "SUM(Funds!$E$%u:$E$%u)",
				         XR(w->funds_first_member), XR(w->funds_total_row) - 1);
			else
				snprintf(left, sizeof(left), "0");
		} else if (c == find_check(r, "budget lines = ledger")) {
			snprintf(left, sizeof(left), "'Budget vs Actual'!$D$%u",
			         XR(w->bva_total_row));
		} else if (c == find_check(r, "countries = ledger")) {
			snprintf(left, sizeof(left), "Countries!$%s$%u",
			         xw_col(col, (lxw_col_t)(1 + M)), XR(w->countries_total));
		} else if (c == find_check(r, "quarters = ledger")) {
			snprintf(left, sizeof(left), "Quarters!$%s$%u",
			         xw_col(col, (lxw_col_t)(3 + M)), XR(w->quarters_total));
		} else if (c == find_check(r, "funds positions = received - actual")) {
			snprintf(left, sizeof(left), "Funds!$%s$%u",
			         xw_col(col, w->funds_position_col),
			         XR(w->funds_total_row));
			snprintf(right, sizeof(right), "B%u-B%u", XR(fr->received),
			         XR(fr->actual));  /* received - actual */
		} else if (fr->fx_effect && c == find_check(r, "budget + spending "
		                                            "effect + rate effect = "
		                                            "actual")) {
			snprintf(left, sizeof(left), "B%u+B%u+B%u", XR(fr->budget),
			         XR(fr->spending_effect), XR(fr->rate_effect));
			snprintf(right, sizeof(right), "B%u", XR(fr->actual));
		}
		if (left[0]) {
			xw_buf_reset(&w->f);
			xw_buf_add(&w->f, left);
			xw_formula_cents(w, ws, row, 1, c->left, w->money);
			xw_buf_reset(&w->f);
			xw_buf_add(&w->f, right);
			xw_formula_cents(w, ws, row, 2, c->right, w->money);
		} else {
			/* A check this writer does not know: the core's figures. */
			xw_money(w, ws, row, 1, c->left, w->money);
			xw_money(w, ws, row, 2, c->right, w->money);
		}
		xw_buf_reset(&w->f);
		xw_buf_addf(&w->f, "IF(ROUND(B%u-C%u,2)=0,\"OK\",ROUND(B%u-C%u,2))",
		            R, R, R, R);
		if (c->ok) {
			xw_formula_str(w, ws, row, 3, "OK", w->check);
		} else {
			mpz_t d;
			mpz_init(d);
			mpz_sub(d, c->left, c->right);
			xw_formula_cents(w, ws, row, 3, d, w->check);
			mpz_clear(d);
		}
	}
	if (row > first)
		ok_colours(w, first, row - 1, 3);
	xw_text(w, ws, row++, 0, "Each result is OK, or the difference left - "
	        "right.", w->note, NULL, 0, "note");
	return row;
}

/* ---- burn rate and forecast ----------------------------------------------------------- */

enum { FO_MEMBER, FO_BUDGET, FO_ACTUAL, FO_SPENT, FO_WINDOW, FO_BURN,
       FO_PROJECTED, FO_PCT, FO_OFF, FO_COUNT };

/* A day count or a date of the forecast: label, formula (w->f), value. */
static void forecast_param(struct xw *w, lxw_row_t row, const char *label,
                           double value, lxw_format *fmt, const char *note)
{
	xw_text(w, w->summary, row, 0, label, w->bold, NULL, 0, "label");
	xw_formula_num(w, w->summary, row, 1, value, fmt);
	if (note)
		summary_note(w, row, note);
}

/* Rows of the forecast's parameters, as A1 references ("$B$40"). */
struct forecast_refs {
	char days[16], elapsed[16], remaining[16], from[16], to[16];
	char window_days[16], full_days[16];
};

/* One row of the forecast: budget and actual from Funds (`funds` row),
 * the window's spending, and where its pace leads. */
static void forecast_row(struct xw *w, lxw_row_t row,
                         const struct forecast_refs *p, size_t m,
                         lxw_row_t first)
{
	const struct gr_recon *r = w->r;
	bool total = m == r->grant->member_count;
	const struct gr_forecast *f = total ? &r->totals.forecast
	                                    : &r->members[m].forecast;
	mpz_srcptr budget = total ? r->totals.budget : r->members[m].budget;
	mpz_srcptr actual = total ? r->totals.actual : r->members[m].actual;
	lxw_row_t funds = total ? w->funds_total_row
	                        : w->funds_first_member + (lxw_row_t)m;
	lxw_worksheet *ws = w->summary;
	unsigned R = XR(row);
	lxw_format *money = total ? w->money_total : w->money;
	lxw_format *pct = total ? w->pct_total : w->pct;
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "Funds!$D$%u", XR(funds));
	xw_formula_cents(w, ws, row, FO_BUDGET, budget, money);
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "Funds!$E$%u", XR(funds));
	xw_formula_cents(w, ws, row, FO_ACTUAL, actual, money);
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "IF(B%u=0,\"\",ROUND(C%u/B%u*100,2))", R, R, R);
	if (f->has_spent_pct)
		xw_formula_num(w, ws, row, FO_SPENT, strtod(f->spent_pct, NULL), pct);
	else
		xw_formula_str(w, ws, row, FO_SPENT, "", pct);
	xw_buf_reset(&w->f);
	if (total) {
		if (row > first)
			xw_buf_addf(&w->f, "SUM(E%u:E%u)", XR(first), R - 1);
		else
			xw_buf_add(&w->f, "0");
	} else {
		struct xw_crit crit[3];
		char mcell[16];
		snprintf(mcell, sizeof(mcell), "$A%u", R);
		crit_text(&crit[0], LC_MEMBER, &w->members[m], mcell);
		crit[1] = (struct xw_crit){ .kind = XW_CRIT_FROM, .col = LC_DATE,
		                            .cell = p->from };
		crit[2] = (struct xw_crit){ .kind = XW_CRIT_TO, .col = LC_DATE,
		                            .cell = p->to };
		xw_ledger_sum(w, &w->f, crit, 3, true);
	}
	xw_formula_cents(w, ws, row, FO_WINDOW, f->window_actual, money);
	/* A window cut short by the start stands for the part of three months
	 * it covers. Both roundings are half-up, as ROUND's. */
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "IF(%s>0,ROUND(E%u*%s/(3*%s),2),0)", p->window_days,
	            R, p->full_days, p->window_days);
	xw_formula_cents(w, ws, row, FO_BURN, f->burn_monthly, money);
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "C%u+IF(AND(%s>0,%s>0),ROUND(E%u*%s/%s,2),0)", R,
	            p->window_days, p->remaining, R, p->remaining,
	            p->window_days);
	xw_formula_cents(w, ws, row, FO_PROJECTED, f->projected, money);
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "IF(B%u=0,\"\",ROUND((G%u-B%u)/B%u*100,2))", R, R, R,
	            R);
	if (f->has_projected_pct)
		xw_formula_num(w, ws, row, FO_PCT, strtod(f->projected_pct, NULL),
		               pct);
	else
		xw_formula_str(w, ws, row, FO_PCT, "", pct);
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "IF(AND(B%u<>0,ROUND(ABS(G%u-B%u)*100-Threshold*"
	            "ABS(B%u),6)>0),\"yes\",\"\")", R, R, R, R);
	xw_formula_str(w, ws, row, FO_OFF, f->off_budget ? "yes" : "", w->check);
}

/* The burn rate and forecast, for a report as of a date before the end
 * (as in the terminal summary): without a stated date the books may not
 * be complete to the last date seen, and at the end there is nothing
 * left to project. */
static lxw_row_t summary_forecast(struct xw *w, lxw_row_t row)
{
	const struct gr_recon *r = w->r;
	const struct gr_grant *g = r->grant;
	const struct gr_forecast *tf = &r->totals.forecast;
	lxw_worksheet *ws = w->summary;
	char text[512], from[11], to[11];
	struct forecast_refs p;
	snprintf(text, sizeof(text), "Burn rate and forecast (%s)",
	         xw_currency(w));
	xw_text(w, ws, row++, 0, text, w->h2, NULL, 0, "title");
	snprintf(text, sizeof(text), "Spent is actual against the whole budget; "
	         "elapsed the days from the start to the as-of date against the "
	         "days of the period. The burn rate is the spending of the three "
	         "months to the as-of date (%s to %s, the window) per month; the "
	         "projection carries the window's daily pace over the days left "
	         "to the end date. Off budget: the projection differs from the "
	         "budget by more than the threshold.",
	         gr_date_iso(from, tf->window_from), gr_date_iso(to, tf->window_to));
	xw_note_block(w, ws, row++, 0, SUMMARY_LAST, SUMMARY_WIDTH, text,
	              w->note_wrap);

	gr_date as_of = r->as_of < g->end ? r->as_of : g->end;
	long period_days = (long)(g->end - g->start) + 1;
	long elapsed = (long)(as_of - g->start) + 1;
	if (elapsed < 0)
		elapsed = 0;
	snprintf(p.days, sizeof(p.days), "$B$%u", XR(row));
	xw_buf_reset(&w->f);
	xw_buf_add(&w->f, "GrantEnd-GrantStart+1");
	forecast_param(w, row++, "Days in the period", (double)period_days,
	               w->count, NULL);
	snprintf(p.elapsed, sizeof(p.elapsed), "$B$%u", XR(row));
	xw_buf_reset(&w->f);
	xw_buf_add(&w->f, "MAX(0,MIN(AsOf,GrantEnd)-GrantStart+1)");
	forecast_param(w, row++, "Days elapsed", (double)elapsed, w->count,
	               "from the start to the as-of date");
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "ROUND(%s/%s*100,2)", p.elapsed, p.days);
	forecast_param(w, row++, "Period elapsed (%)",
	               strtod(tf->elapsed_pct, NULL), w->pct, NULL);
	snprintf(p.remaining, sizeof(p.remaining), "$B$%u", XR(row));
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "%s-%s", p.days, p.elapsed);
	forecast_param(w, row++, "Days remaining", (double)(period_days - elapsed),
	               w->count, "to the end date");
	snprintf(p.from, sizeof(p.from), "$B$%u", XR(row));
	snprintf(p.to, sizeof(p.to), "$B$%u", XR(row) + 1);
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "MAX(GrantStart,EDATE(%s+1,-3))", p.to);
	forecast_param(w, row++, "Window from", xw_serial(tf->window_from),
	               w->date_left, "three months back from the day after the "
	               "window's end, not before the start");
	xw_buf_reset(&w->f);
	xw_buf_add(&w->f, "MIN(AsOf,GrantEnd)");
	forecast_param(w, row++, "Window to", xw_serial(tf->window_to),
	               w->date_left, "the as-of date, at the latest the end date");
	snprintf(p.window_days, sizeof(p.window_days), "$B$%u", XR(row));
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "%s-%s+1", p.to, p.from);
	forecast_param(w, row++, "Days in the window",
	               (double)((long)(tf->window_to - tf->window_from) + 1),
	               w->count, NULL);
	snprintf(p.full_days, sizeof(p.full_days), "$B$%u", XR(row));
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "%s-EDATE(%s+1,-3)+1", p.to, p.to);
	forecast_param(w, row++, "Days in three whole months",
	               (double)((long)(tf->window_to - tf->window_full_from) + 1),
	               w->count, "when the start cuts the window short, it counts "
	               "as that part of three months");

	static const char *const head[FO_COUNT] = {
		"Member", "Budget", "Actual", "Spent %", "Last three months",
		"Per month", "Projected at the end", "Projected vs budget %",
		"Off budget",
	};
	static const bool num[FO_COUNT] = {
		false, true, true, true, true, true, true, true, false,
	};
	row++;
	header_row(w, ws, row, head, FO_COUNT, num);
	worksheet_set_row(ws, row++, 30, NULL);
	lxw_row_t first = row;
	for (size_t m = 0; m < g->member_count; m++, row++) {
		xw_label_text(w, ws, row, FO_MEMBER, &w->members[m].clean, NULL);
		forecast_row(w, row, &p, m, first);
	}
	xw_text(w, ws, row, FO_MEMBER, "Total", w->text_total, NULL, 0, "label");
	forecast_row(w, row, &p, g->member_count, first);
	w->forecast_total_row = row;
	/* Off budget in red. */
	static char yes[] = "\"yes\"";
	lxw_conditional_format off = {
		.type = LXW_CONDITIONAL_TYPE_CELL,
		.criteria = LXW_CONDITIONAL_CRITERIA_EQUAL_TO,
		.value_string = yes, .format = w->cf_bad,
	};
	xw_check(w, worksheet_conditional_format_range(ws, first, FO_OFF, row,
	                                               FO_OFF, &off));
	return row + 1;
}

static lxw_row_t summary_rounding(struct xw *w, lxw_row_t row)
{
	const struct gr_grant *g = w->r->grant;
	lxw_worksheet *ws = w->summary;
	xw_text(w, ws, row++, 0, "How the converted amounts are computed", w->h2,
	        NULL, 0, "title");
	const char *text = g->rounding == GR_ROUND_HALF_UP
		? "Rounding rule half-up. On the Ledger, each converted amount is "
		  "the formula ROUND(amount / rate, 2); for the transfer-average "
		  "method it is ROUND(amount x sent / received, 2), with the sums of "
		  "the transfers on the FX sheet, so that it is exact to the inputs. "
		  "Lines in the grant currency are the amount itself. ROUND in Excel "
		  "and LibreOffice rounds half away from zero, which is the half-up "
		  "rule: recalculating gives grantrec's figures to the cent."
		: "Rounding rule half-even. A spreadsheet has no function that "
		  "rounds half to even, so on the Ledger each converted amount is "
		  "the value grantrec computed exactly (amount / rate, rounded half "
		  "to even to the cent), not a formula; the rate is on the same row "
		  "and, with its source file and line, on the FX sheet. Every total "
		  "over the converted amounts is a formula.";
	xw_note_block(w, ws, row++, 0, SUMMARY_LAST, SUMMARY_WIDTH, text,
	              w->text_wrap);
	xw_note_block(w, ws, row++, 0, SUMMARY_LAST, SUMMARY_WIDTH, "A line whose amount "
	              "has more than 15 significant digits also holds grantrec's "
	              "value, since a spreadsheet computes with 15; its Note says "
	              "so.", w->text_wrap);
	return row;
}

static lxw_row_t summary_members(struct xw *w, lxw_row_t row)
{
	const struct gr_grant *g = w->r->grant;
	lxw_worksheet *ws = w->summary;
	xw_text(w, ws, row++, 0, "Members", w->h2, NULL, 0, "title");
	static const char *const head[] = {
		"Member", "Name", "Role", "Exchange-rate method", "Ledger file",
	};
	header_row(w, ws, row, head, 5, NULL);
	worksheet_set_row(ws, row++, 30, NULL);
	for (size_t m = 0; m < g->member_count; m++, row++) {
		const struct gr_member *mem = &g->members[m];
		xw_label_text(w, ws, row, 0, &w->members[m].clean, NULL);
		xw_text(w, ws, row, 1, mem->name, NULL, NULL, 0, "member name");
		xw_text(w, ws, row, 2, mem->lead ? "lead" : "member", NULL, NULL, 0,
		        "role");
		xw_text(w, ws, row, 3, gr_fx_method_name(mem->fx), NULL, NULL, 0,
		        "method");
		xw_text(w, ws, row, 4, mem->ledger_name, NULL, NULL, 0, "file");
	}
	return row;
}

static lxw_row_t summary_inputs(struct xw *w, lxw_row_t row)
{
	const struct gr_inputs *in = w->inputs;
	lxw_worksheet *ws = w->summary;
	xw_text(w, ws, row++, 0, "Inputs", w->h2, NULL, 0, "title");
	xw_note_block(w, ws, row++, 0, SUMMARY_LAST, SUMMARY_WIDTH, "Every file the "
	              "reconciliation read, named as in grant.ini (relative to "
	              "its folder), with its number of lines and its SHA-256. "
	              "From that folder, 'sha256sum FILE' prints the same hash "
	              "(docs/auditors.md). The same list is in the workbook's "
	              "custom document properties.", w->note_wrap);
	static const char *const head[] = {"Role", "File", "Lines", "SHA-256"};
	static const bool num[] = {false, false, true, false};
	header_row(w, ws, row++, head, 4, num);
	for (size_t i = 0; i < in->count; i++, row++) {
		const struct gr_input *f = in->items[i];
		xw_text(w, ws, row, 0, f->role, NULL, NULL, 0, "role");
		xw_text(w, ws, row, 1, f->name, NULL, NULL, 0, "file");
		xw_number(w, ws, row, 2, (double)f->lines, w->integer);
		xw_text(w, ws, row, 3, f->sha256, w->mono, NULL, 0, "hash");
	}
	return row;
}

static lxw_row_t summary_workbook(struct xw *w, lxw_row_t row)
{
	char text[256];
	xw_text(w, w->summary, row++, 0, "This workbook", w->h2, NULL, 0,
	        "title");
	kv(w, row++, "grantrec version", w->version, NULL);
	if (w->ledger_sheets == 1)
		snprintf(text, sizeof(text), "Ledger (%zu lines)",
		         w->r->ledger->count);
	else
		snprintf(text, sizeof(text), "Ledger to Ledger (%zu), %zu lines",
		         w->ledger_sheets, w->r->ledger->count);
	kv(w, row++, "Ledger sheets", text, w->ledger_sheets == 1 ? NULL
	   : "A sheet holds 1,048,575 lines; every sum over the ledger covers "
	     "all the Ledger sheets.");
	kv(w, row++, "Texts changed for the workbook", "see Findings",
	   "Characters not allowed in a workbook, or text longer than a cell "
	   "holds, and what was done about them (code workbook-text).");
	return row;
}

/* What changed since the previous report (--previous), counted on the
 * Changes sheet. */
static lxw_row_t summary_changes(struct xw *w, lxw_row_t row)
{
	const struct gr_changes *c = w->changes;
	lxw_worksheet *ws = w->summary;
	char text[160], kind[64], side[64];
	xw_text(w, ws, row++, 0, "Changes since the previous report", w->h2, NULL,
	        0, "title");
	/* A path may be long: it has the row's width. */
	xw_text(w, ws, row, 0, "The previous report's grant.ini", w->bold, NULL,
	        0, "label");
	xw_note_block(w, ws, row++, 1, SUMMARY_LAST, SUMMARY_WIDTH - 46,
	              w->previous_name, w->text_wrap);
	xw_text(w, ws, row, 0, "Its books as of", w->bold, NULL, 0, "label");
	xw_date(w, ws, row, 1, c->before->as_of, w->date_left);
	summary_note(w, row++, "its inputs, reconciled again as archived: the "
	             "latest date in them");
	xw_text(w, ws, row, 0, "Reported to", w->bold, NULL, 0, "label");
	xw_date(w, ws, row, 1, c->reported_to, w->date_left);
	summary_note(w, row++, "the end of its quarter: lines dated up to it and "
	             "new since are late bookings");
	unsigned F = XR(w->changes_lines_first), Z = XR(w->changes_lines_end) - 1;
	xw_col(kind, XW_CH_KIND);
	xw_col(side, XW_CH_SIDE);
	static const struct {
		const char *label, *kind, *side;
	} counts[] = {
		{"Late bookings", "late booking", "now"},
		{"Removed lines", "removed", "before"},
		{"Changed lines", "changed", "now"},
	};
	size_t values[] = {c->late, c->removed, c->changed};
	for (size_t k = 0; k < 3; k++, row++) {
		xw_text(w, ws, row, 0, counts[k].label, w->bold, NULL, 0, "label");
		xw_buf_reset(&w->f);
		if (Z >= F)
			xw_buf_addf(&w->f, "COUNTIFS(Changes!$%s$%u:$%s$%u,\"%s\","
			            "Changes!$%s$%u:$%s$%u,\"%s\")", kind, F, kind, Z,
			            counts[k].kind, side, F, side, Z, counts[k].side);
		else
			xw_buf_add(&w->f, "0");
		xw_formula_num(w, ws, row, 1, (double)values[k], w->count);
		link_at(w, row, "Changes", w->changes_lines_first);
	}
	xw_text(w, ws, row, 0, "New lines after it", w->bold, NULL, 0, "label");
	xw_number(w, ws, row, 1, (double)c->new_after, w->count);
	summary_note(w, row++, "the ordinary activity since the previous report: "
	             "neither a restatement nor listed");
	mpz_t net;
	mpz_init(net);
	for (size_t i = 0; i < c->restated_count; i++)
		mpz_add(net, net, c->restated[i].difference);
	char diff[8];
	xw_col(diff, XW_RS_DIFFERENCE);
	xw_buf_reset(&w->f);
	if (c->restated_count)
		xw_buf_addf(&w->f, "SUM(Changes!$%s$%u:$%s$%u)", diff,
		            XR(w->changes_restated_first), diff,
		            XR(w->changes_restated_end) - 1);
	else
		xw_buf_add(&w->f, "0");
	snprintf(text, sizeof(text), "Reported quarters restated, net (%s)",
	         xw_currency(w));
	figure(w, row, text, net, NULL);
	link_at(w, row++, "Changes", w->changes_restated_first - 2);
	mpz_clear(net);
	return row;
}

void xw_sheet_summary(struct xw *w)
{
	const struct gr_recon *r = w->r;
	const struct gr_grant *g = r->grant;
	lxw_worksheet *ws = w->summary;
	char text[512];
	snprintf(text, sizeof(text), "Grant reconciliation: %s", g->name);
	xw_text(w, ws, 0, 0, text, w->title, NULL, 0, "title");
	snprintf(text, sizeof(text), "Produced by grantrec %s from the input "
	         "files listed below. Every total is a formula over the Ledger "
	         "sheet(s), stored with the figure grantrec computed exactly: "
	         "recalculating gives the same figures.", w->version);
	xw_note_block(w, ws, 1, 0, SUMMARY_LAST, SUMMARY_WIDTH, text,
	              w->note_wrap);
	summary_grant(w);
	struct figure_rows fr = {0};
	lxw_row_t row = summary_figures(w, (w->has_quarter ? SR_QUARTER_TO
	                                                   : SR_AS_OF) + 2, &fr);
	if (r->has_fx_effect)
		row = summary_bridge(w, row + 1, &fr);
	row = summary_checks(w, row + 1, &fr);
	if (r->as_of_given && r->as_of < g->end)
		row = summary_forecast(w, row + 1);
	else
		w->forecast_total_row = 0;
	if (w->changes)
		row = summary_changes(w, row + 1);
	row = summary_rounding(w, row + 1);
	row = summary_members(w, row + 1);
	row = summary_inputs(w, row + 1);
	summary_workbook(w, row + 1);
	worksheet_set_column(ws, 0, 0, 46, NULL);
	worksheet_set_column(ws, 1, 1, 34, NULL);
	worksheet_set_column(ws, 2, FO_OFF, 16, NULL);
	worksheet_set_landscape(ws);
	worksheet_set_paper(ws, 9);
	worksheet_fit_to_pages(ws, 1, 0);
	worksheet_set_footer(ws, "&L&A&R&P / &N");
	worksheet_activate(ws);
}

/* ---- Findings ----------------------------------------------------------------------- */

static const char *severity_name(enum gr_severity s)
{
	return s == GR_SEV_ERROR ? "error" : s == GR_SEV_WARNING ? "warning"
	                                                          : "note";
}

void xw_sheet_findings(struct xw *w)
{
	const struct gr_recon *r = w->r;
	lxw_worksheet *ws = w->findings;
	static const char *const head[] = {
		"Severity", "Code", "File", "Line", "Message",
	};
	static const bool num[] = {false, false, false, true, false};
	header_row(w, ws, 0, head, 5, num);
	/* Room for every finding, keeping the last rows for the notes. */
	const lxw_row_t limit = LXW_ROW_MAX - 1 - XW_NOTES_ROWS;
	lxw_row_t row = 1;
	size_t shown = 0;
	for (size_t i = 0; i < r->finding_count && row < limit; i++, row++) {
		const struct gr_finding *f = &r->findings[i];
		xw_text(w, ws, row, 0, severity_name(f->severity), NULL, NULL, 0,
		        "severity");
		xw_text(w, ws, row, 1, f->code, NULL, NULL, 0, "code");
		if (f->file)
			xw_text(w, ws, row, 2, xw_input_name(w, f->file), NULL, NULL, 0,
			        "file");
		if (f->line > 0)
			xw_number(w, ws, row, 3, (double)f->line, w->integer);
		xw_text(w, ws, row, 4, f->message, w->wrap, NULL, 0, "message");
		xw_fit_row(w, ws, row, f->message, 120);
		shown++;
	}
	char text[160];
	if (shown < r->finding_count) {
		snprintf(text, sizeof(text), "%zu more findings do not fit on this "
		         "sheet: see the JSON output (grantrec reconcile --json)",
		         r->finding_count - shown);
		xw_text(w, ws, row++, 4, text, w->bold, NULL, 0, "message");
	}
	if (r->finding_count == 0)
		xw_text(w, ws, row++, 4, "No findings.", NULL, NULL, 0, "message");
	/* The writer's own notes, including those about the messages above
	 * (the list is capped, so this ends). */
	for (size_t i = 0; i < w->note_count; i++, row++) {
		const struct xw_note *n = &w->notes[i];
		xw_text(w, ws, row, 0, "note", NULL, NULL, 0, "severity");
		xw_text(w, ws, row, 1, "workbook-text", NULL, NULL, 0, "code");
		if (n->file)
			xw_text(w, ws, row, 2, xw_input_name(w, n->file), NULL, NULL, 0,
			        "file");
		if (n->line > 0)
			xw_number(w, ws, row, 3, (double)n->line, w->integer);
		xw_text(w, ws, row, 4, n->message, w->wrap, NULL, 0, "message");
		xw_fit_row(w, ws, row, n->message, 120);
	}
	if (w->notes_dropped) {
		snprintf(text, sizeof(text), "%zu more texts were changed for the "
		         "workbook: see the Note column of the Ledger",
		         w->notes_dropped);
		xw_text(w, ws, row++, 4, text, NULL, NULL, 0, "message");
	}
	worksheet_set_column(ws, 0, 0, 9, NULL);
	worksheet_set_column(ws, 1, 1, 22, NULL);
	worksheet_set_column(ws, 2, 2, 26, NULL);
	worksheet_set_column(ws, 3, 3, 7, NULL);
	worksheet_set_column(ws, 4, 4, 120, NULL);
	worksheet_freeze_panes(ws, 1, 0);
	worksheet_autofilter(ws, 0, 0, row > 1 ? row - 1 : 1, 4);
	print_setup(ws, 0);
}
