/*
 * sheet_charts.c: the Charts sheet: the charts drawn from the other
 * sheets.
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

/* ---- Charts ------------------------------------------------------------------------ */

static void add_chart(struct xw *w, lxw_worksheet *ws, lxw_row_t row,
                      lxw_chart *chart)
{
	lxw_chart_options opt = { .x_scale = 1.55, .y_scale = 1.1 };
	xw_check(w, worksheet_insert_chart_opt(ws, row, 0, chart, &opt));
}

/* The month table's running figures. With a report as of a date before
 * the end (the Summary's forecast), the months after it carry the budget
 * and the projection only. */
struct months {
	bool project, more_months;
	mpz_t run, received;       /* cumulative actual, tranches received */
	unsigned tf, tz;           /* Funds rows of the tranches */
};

static void charts_title(struct xw *w, bool project)
{
	char text[160];
	snprintf(text, sizeof(text), "Charts (%s)", xw_currency(w));
	xw_title(w, w->charts, text, project
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
	xw_header_row(w, w->charts, 3, head, project ? 8 : 7, num);
	worksheet_set_row(w->charts, 3, 30, NULL);
}

/* One month of the ledger: actual, cumulative, budget, tranches received
 * by its end, and on the last month the projection's start. */
static void month_row(struct xw *w, struct months *M, size_t i, lxw_row_t row)
{
	const struct gr_recon *r = w->r;
	const struct gr_tables *t = r->tables;
	lxw_worksheet *ws = w->charts;
	const struct gr_period_result *p = &r->months[i];
	char from[16], to[16];
	unsigned R = XR(row), tf = M->tf, tz = M->tz;
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
	mpz_add(M->run, M->run, p->actual);
	xw_buf_reset(&w->f);
	if (i == 0)
		xw_buf_addf(&w->f, "D%u", R);
	else
		xw_buf_addf(&w->f, "E%u+D%u", R - 1, R);
	xw_formula_cents(w, ws, row, 4, M->run, w->money);
	xw_buf_reset(&w->f);
	xw_buf_addf(&w->f, "'Budget vs Actual'!$C$%u", XR(w->bva_total_row));
	xw_formula_cents(w, ws, row, 5, r->totals.budget, w->money);
	/* Tranches received by the end of the month. */
	mpz_set_ui(M->received, 0);
	for (size_t k = 0; k < t->tranche_count; k++)
		if (t->tranches[k].received != GR_NO_DATE &&
		    t->tranches[k].received <= p->to &&
		    t->tranches[k].received <= r->as_of)
			mpz_add(M->received, M->received, t->tranches[k].amount);
	xw_buf_reset(&w->f);
	if (t->tranche_count)
		xw_buf_addf(&w->f, "SUMIFS(Funds!$D$%u:$D$%u,Funds!$F$%u:$F$%u,"
		            "\"<=\"&C%u,Funds!$F$%u:$F$%u,\"<=\"&AsOf)", tf, tz, tf,
		            tz, R, tf, tz);
	else
		xw_buf_add(&w->f, "0");
	xw_formula_cents(w, ws, row, 6, M->received, w->money);
	if (M->project && i + 1 == r->month_count) {
		/* The projection starts from the actual at the as-of date;
		 * when the end date falls in the same month, only its end
		 * point is left to show. */
		xw_buf_reset(&w->f);
		if (M->more_months) {
			xw_buf_addf(&w->f, "E%u", R);
			xw_formula_cents(w, ws, row, 7, M->run, w->money);
		} else {
			xw_buf_addf(&w->f, "Summary!$G$%u", XR(w->forecast_total_row));
			xw_formula_cents(w, ws, row, 7, r->totals.forecast.projected,
			                 w->money);
		}
	}
}

/* The months from the as-of date's to the end, and the projected actual
 * at the end (the Summary's figure). Returns the row after them. */
static lxw_row_t projection_rows(struct xw *w, lxw_row_t row)
{
	const struct gr_recon *r = w->r;
	const struct gr_grant *g = r->grant;
	lxw_worksheet *ws = w->charts;
	char text[160];
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
	return row;
}

static bool chart_members(struct xw *w, lxw_row_t at)
{
	unsigned mf = XR(w->funds_first_member), mz = XR(w->funds_total_row) - 1;
	lxw_chart *c = workbook_add_chart(w->wb, LXW_CHART_COLUMN);
	if (!c)
		return false;
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
	add_chart(w, w->charts, at, c);
	return true;
}

/* Cumulative actual, budget, tranches and the projection, over the month
 * table's rows a..z. */
static bool chart_months(struct xw *w, lxw_row_t at, lxw_row_t a,
                         lxw_row_t z, bool project)
{
	lxw_chart *c = workbook_add_chart(w->wb, LXW_CHART_LINE);
	if (!c)
		return false;
	chart_title_set_name(c, "Cumulative actual by month");
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
	add_chart(w, w->charts, at, c);
	return true;
}

static bool chart_countries(struct xw *w, lxw_row_t at)
{
	const struct gr_recon *r = w->r;
	lxw_chart *c = workbook_add_chart(w->wb, LXW_CHART_BAR);
	if (!c)
		return false;
	chart_title_set_name(c, "Actual per country");
	lxw_chart_series *s = chart_add_series(c, NULL, NULL);
	lxw_col_t tc = (lxw_col_t)(1 + r->grant->member_count);
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
	xw_check(w, worksheet_insert_chart_opt(w->charts, at, 0, c, &opt));
	return true;
}

void xw_sheet_charts(struct xw *w)
{
	const struct gr_recon *r = w->r;
	const struct gr_grant *g = r->grant;
	lxw_worksheet *ws = w->charts;
	struct months M = {
		.tf = XR(w->funds_tranche_first),
		.tz = XR(w->funds_tranche_total) - 1,
	};
	M.project = w->forecast_total_row > 0 && r->month_count > 0;
	M.more_months = M.project && gr_date_add_months(gr_date_month_start(
		r->months[r->month_count - 1].from), 1) <= g->end;
	charts_title(w, M.project);
	lxw_row_t row = 4;
	w->months_first = row;
	mpz_inits(M.run, M.received, NULL);
	for (size_t i = 0; i < r->month_count; i++, row++)
		month_row(w, &M, i, row);
	mpz_clears(M.run, M.received, NULL);
	if (M.project)
		row = projection_rows(w, row);
	worksheet_set_column(ws, 0, 0, 10, NULL);
	worksheet_set_column(ws, 1, 2, 11, NULL);
	worksheet_set_column(ws, 3, M.project ? 7 : 6, 17, NULL);

	lxw_row_t at = row + 2;
	if (g->member_count) {
		if (!chart_members(w, at)) {
			w->oom = true;
			return;
		}
		at += 18;
	}
	if (r->month_count) {
		if (!chart_months(w, at, w->months_first, row - 1, M.project)) {
			w->oom = true;
			return;
		}
		at += 18;
	}
	if (r->country_count && !chart_countries(w, at)) {
		w->oom = true;
		return;
	}
	worksheet_set_portrait(ws);
	worksheet_set_paper(ws, 9);
	worksheet_fit_to_pages(ws, 1, 0);
}
