#include "grantrec/ledger.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "columns.h"
#include "util.h"

void gr_ledger_release(struct gr_ledger *ledger)
{
	if (!ledger)
		return;
	for (size_t i = 0; i < ledger->count; i++) {
		gr_dec_clear(&ledger->lines[i].amount);
		free(ledger->lines[i].voucher);
		free(ledger->lines[i].description);
	}
	free(ledger->lines);
	gr_strset_release(&ledger->budget_lines);
	gr_strset_release(&ledger->countries);
	memset(ledger, 0, sizeof(*ledger));
}

struct loader {
	struct gr_ledger *ledger;
	const struct gr_member *member;
	uint32_t member_index;
	const struct gr_input *input;
	struct gr_diags *diags;
	const char *const *names; /* the member's header names */
	bool oom;
};

/* The most decimals a local amount may carry before conversion. */
#define LEDGER_MAX_SCALE 6

static void ledger_row(void *vctx, const struct gr_columns *cols,
                       const struct gr_csv_row *row)
{
	struct loader *ld = vctx;
	const struct gr_profile *p = &ld->member->profile;
	const char *path = ld->input->path;
	struct gr_line line = {
		.member = ld->member_index, .line = row->line, .source = ld->input,
	};
	gr_dec_init(&line.amount);
	bool ok = gr_field_date(&line.date, gr_columns_field(cols, row, GR_COL_DATE),
	                        ld->names[GR_COL_DATE], p->date_format, path,
	                        row->line, ld->diags);
	const char *amount = gr_columns_field(cols, row, GR_COL_AMOUNT);
	const char *why = gr_dec_parse(&line.amount, amount, p->number,
	                               LEDGER_MAX_SCALE);
	if (why) {
		char q[80];
		gr_error(ld->diags, path, row->line,
		         "column '%s': invalid amount '%s': expected %s",
		         ld->names[GR_COL_AMOUNT], gr_quote_value(q, sizeof(q), amount),
		         why);
		ok = false;
	}
	ok = gr_field_currency(line.currency,
	                       gr_columns_field(cols, row, GR_COL_CURRENCY),
	                       ld->names[GR_COL_CURRENCY], path, row->line,
	                       ld->diags) && ok;
	size_t n;
	const char *bl = gr_trim(gr_columns_field(cols, row, GR_COL_BUDGET_LINE), &n);
	if (n == 0) {
		gr_error(ld->diags, path, row->line,
		         "column '%s' is empty: every line needs a budget line",
		         ld->names[GR_COL_BUDGET_LINE]);
		ok = false;
	}
	long bl_id = ok ? gr_strset_intern(&ld->ledger->budget_lines, bl, n) : 0;
	size_t vn;
	const char *voucher = gr_trim(gr_columns_field(cols, row, GR_COL_VOUCHER), &vn);
	if (vn == 0) {
		gr_error(ld->diags, path, row->line,
		         "column '%s' is empty: every line needs a voucher (the "
		         "booking's document number)", ld->names[GR_COL_VOUCHER]);
		ok = false;
	}
	size_t cn;
	const char *country = gr_trim(gr_columns_field(cols, row, GR_COL_COUNTRY), &cn);
	long country_id = ok ? gr_strset_intern(&ld->ledger->countries, country, cn) : 0;
	if (bl_id < 0 || country_id < 0) {
		ld->oom = true;
		ok = false;
	}
	if (ok) {
		line.budget_line = (uint32_t)bl_id;
		line.country = (uint32_t)country_id;
		line.voucher = gr_strndup(voucher, vn);
		line.description = gr_strdup(gr_columns_field(cols, row,
		                                              GR_COL_DESCRIPTION));
		if (!line.voucher || !line.description ||
		    !gr_grow((void **)&ld->ledger->lines, &ld->ledger->cap,
		             ld->ledger->count + 1, sizeof(*ld->ledger->lines))) {
			ld->oom = true;
			ok = false;
		}
	}
	if (!ok) {
		gr_dec_clear(&line.amount);
		free(line.voucher);
		free(line.description);
		return;
	}
	ld->ledger->lines[ld->ledger->count++] = line;
}

enum gr_status gr_ledger_load(struct gr_ledger *ledger,
                              const struct gr_grant *grant,
                              struct gr_inputs *inputs,
                              struct gr_diags *diags)
{
	static const char *const keys[GR_COL_COUNT] = {
		"col.date", "col.amount", "col.currency", "col.budget_line",
		"col.voucher", "col.country", "col.description",
	};
	enum gr_status st = GR_OK;
	/* The empty country is id 0, so that it exists even when unused. */
	if (gr_strset_intern(&ledger->countries, "", 0) < 0) {
		gr_error(diags, NULL, 0, "out of memory");
		return GR_E_SYSTEM;
	}
	for (size_t m = 0; m < grant->member_count; m++) {
		const struct gr_member *member = &grant->members[m];
		char role[160];
		snprintf(role, sizeof(role), "ledger %s", member->id);
		struct gr_input *in = gr_inputs_add(inputs, role, member->ledger_name,
		                                    member->ledger_path);
		if (!in) {
			gr_error(diags, NULL, 0, "out of memory");
			return GR_E_SYSTEM;
		}
		struct loader ld = {
			.ledger = ledger, .member = member, .member_index = (uint32_t)m,
			.input = in, .diags = diags,
			.names = (const char *const *)member->profile.columns,
		};
		struct gr_columns cols = {
			.names = ld.names, .count = GR_COL_COUNT,
			.required = GR_COL_REQUIRED, .keys = keys,
		};
		struct gr_csv_options options = {
			.delimiter = member->profile.delimiter,
			.encoding = member->profile.encoding,
		};
		enum gr_status s = gr_table_read(in, &options, &cols, ledger_row, &ld,
		                                 diags);
		if (ld.oom) {
			gr_error(diags, NULL, 0, "out of memory");
			return GR_E_SYSTEM;
		}
		if (s > st)
			st = s;
	}
	return st;
}
