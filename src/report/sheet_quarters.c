/*
 * sheet_quarters.c: the Quarters sheet: actual per quarter, month and
 * member, and the declared figures against the ledger.
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
			xw_crit_text(&crit[0], LC_MEMBER, &w->members[m], mcell);
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
	xw_header_row(w, ws, row++, head, DC_COUNT, num);
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
	xw_title(w, ws, text, g->quarters == GR_QUARTERS_GRANT
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
	xw_print_setup(ws, 3);
}
