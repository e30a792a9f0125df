/*
 * sheet_countries.c: the Countries sheet: actual per country and member.
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
	xw_title(w, ws, text, w->has_quarter
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
			xw_crit_text(&crit[0], LC_MEMBER, &w->members[m], mcell);
			xw_crit_text(&crit[1], LC_COUNTRY, &w->countries[i], ccell);
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
			xw_crit_text(&crit[0], LC_COUNTRY, &w->countries[i], ccell);
			xw_crit_quarter(&crit[1]);
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
	xw_print_setup(ws, 3);
}
