#include <string.h>

#include "grantrec/report.h"

static const char *m(char buf[GR_MONEY_BUF], const mpz_t cents)
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

void gr_report_text(FILE *out, const struct gr_report_context *ctx,
                    size_t max_findings)
{
	const struct gr_recon *r = ctx->recon;
	const struct gr_grant *g = r->grant;
	const struct gr_totals *t = &r->totals;
	char a[GR_MONEY_BUF], b[GR_MONEY_BUF], c[GR_MONEY_BUF], d[GR_MONEY_BUF];
	char from[11], to[11], asof[11];

	fprintf(out, "%s", g->name);
	if (g->donor && *g->donor)
		fprintf(out, " - %s", g->donor);
	if (g->reference && *g->reference)
		fprintf(out, ", reference %s", g->reference);
	fprintf(out, "\nPeriod %s to %s, figures as of %s; %s, rounding %s, "
	        "threshold %s%%\n\n", gr_date_iso(from, g->start),
	        gr_date_iso(to, g->end), gr_date_iso(asof, r->as_of), g->currency,
	        gr_rounding_name(g->rounding), gr_dec_str(a, &g->threshold));

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
		char pct[GR_MONEY_BUF] = "";
		if (mpz_sgn(mr->budget) != 0) {
			mpq_t q;
			mpq_init(q);
			mpz_mul_ui(mpq_numref(q), mr->variance, 100);
			mpz_set(mpq_denref(q), mr->budget);
			mpq_canonicalize(q);
			gr_mpq_str(d, q, 2);
			snprintf(pct, sizeof(pct), "%s", d);
			mpq_clear(q);
		}
		char label[96];
		snprintf(label, sizeof(label), "%s%s", g->members[i].id,
		         g->members[i].lead ? " (lead)" : "");
		const char *cells[] = {m(a, mr->budget), m(b, mr->actual),
		                       m(c, mr->variance), pct};
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
			fprintf(out, "OVERDUE by %ld days\n", tres->days_overdue);
		else
			fprintf(out, "outstanding\n");
	}

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
		        "actual)\n", r->check_count);
	} else {
		for (size_t i = 0; i < r->check_count; i++)
			if (!r->checks[i].ok)
				fprintf(out, "Cross-check FAILED: %s: %s against %s\n",
				        r->checks[i].name, m(a, r->checks[i].left),
				        m(b, r->checks[i].right));
	}

	fprintf(out, "\nFindings: %zu (%zu warning%s)\n", r->finding_count,
	        r->warnings, r->warnings == 1 ? "" : "s");
	for (size_t i = 0; i < r->finding_count && i < max_findings; i++) {
		const struct gr_finding *f = &r->findings[i];
		fputs("  ", out);
		if (f->file && f->line > 0)
			fprintf(out, "%s:%ld: ", f->file, f->line);
		else if (f->file)
			fprintf(out, "%s: ", f->file);
		fprintf(out, "%s: %s [%s]\n",
		        f->severity == GR_SEV_NOTE ? "note" : "warning", f->message,
		        f->code);
	}
	if (r->finding_count > max_findings)
		fprintf(out, "  ... and %zu more (all of them are in the workbook "
		        "and the JSON)\n", r->finding_count - max_findings);
}
