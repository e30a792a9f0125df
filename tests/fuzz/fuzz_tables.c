/*
 * fuzz_tables: the grant's own tables through gr_tables_load on a
 * temporary grant with members a (lead), b and c.
 *
 * Input: byte 0 % 5 chooses the table that gets the rest of the input:
 * 0 budget, 1 tranches, 2 disbursements, 3 comments, 4 declared figures.
 * The other tables hold a small valid content.
 *
 * Checked: no crash, leak or sanitizer report, a status that matches the
 * messages, and on success the documented rules: budget amounts zero or
 * more, tranches above zero with unique names, disbursements never zero
 * and never to the lead, members known, every row on a line of the file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "grantrec/grant.h"
#include "grantrec/tables.h"

static struct fz_file ini, files[5];
static struct gr_grant grant;

static const char *const keys[5] = {"budget", "tranches", "disbursements",
                                    "comments", "declared"};
static const char *const valid[5] = {
	"member,budget_line,amount\na,Staff,100.00\n",
	"tranche,amount,due,received\nT1,500.00,2021-01-31,2021-02-01\n",
	"date,member,amount\n2021-02-02,b,100.00\n",
	"member,budget_line,comment\na,Staff,ok\n",
	"member,quarter,amount\nb,Q1,10.00\n",
};

static void setup(void)
{
	fz_file_open(&ini, "grant.ini");
	char text[4096];
	int n = snprintf(text, sizeof(text),
		"[grant]\nname = fuzz\ncurrency = EUR\namount = 1000.00\n"
		"start = 2021-01-01\nend = 2021-12-31\ndaily_rates = r.csv\n");
	for (int i = 0; i < 5; i++) {
		fz_file_open(&files[i], keys[i]);
		n += snprintf(text + n, sizeof(text) - (size_t)n, "%s = %s\n",
		              keys[i], files[i].path);
	}
	snprintf(text + n, sizeof(text) - (size_t)n,
		"[member a]\nrole = lead\nledger = a.csv\nfx = daily\n"
		"[member b]\nrole = member\nledger = b.csv\nfx = daily\n"
		"[member c]\nrole = member\nledger = c.csv\nfx = daily\n");
	fz_file_set_str(&ini, text);
	gr_grant_init(&grant);
	struct gr_inputs inputs = {0};
	struct gr_diags diags = GR_DIAGS_INIT;
	FZ_CHECK(gr_grant_load(&grant, ini.path, &inputs, &diags) == GR_OK,
	         "the fixed grant.ini does not load: %s",
	         diags.count ? diags.items[0].message : "?");
	gr_inputs_release(&inputs);
	gr_diags_release(&diags);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	static bool ready;
	if (!ready) {
		setup();
		ready = true;
	}
	int table = data[0] % 5;
	for (int i = 0; i < 5; i++)
		if (i == table)
			fz_file_set(&files[i], data + 1, size - 1);
		else
			fz_file_set_str(&files[i], valid[i]);

	struct gr_tables t = {0};
	struct gr_inputs inputs = {0};
	struct gr_diags diags = GR_DIAGS_INIT;
	enum gr_status st = gr_tables_load(&t, &grant, &inputs, &diags);
	FZ_CHECK(st == GR_OK || st == GR_E_INPUT, "status %d", (int)st);
	FZ_CHECK((st == GR_OK) == (diags.errors == 0),
	         "status %d with %zu errors", (int)st, diags.errors);
	FZ_CHECK(inputs.count == 5, "%zu inputs", inputs.count);
	for (size_t i = 0; i < diags.count; i++)
		FZ_CHECK(diags.items[i].message && *diags.items[i].message,
		         "an empty message");
	long lines = inputs.items[table]->lines;
	if (st == GR_OK) {
		for (size_t i = 0; i < t.budget_count; i++) {
			FZ_CHECK(mpz_sgn(t.budget[i].amount) >= 0, "negative budget");
			FZ_CHECK(t.budget[i].member == GR_NO_MEMBER ||
			         t.budget[i].member < grant.member_count, "member");
			FZ_CHECK(*t.budget[i].member_id && *t.budget[i].budget_line,
			         "an empty key");
			/* A data row is never on the header's line
			 * (regressions/tables/lone-cr-after-header). */
			FZ_CHECK(table != 0 || (t.budget[i].line >= 2 &&
			                        t.budget[i].line <= lines),
			         "budget row %zu on line %ld of a file of %ld lines",
			         i, t.budget[i].line, lines);
			for (size_t j = 0; j < i; j++)
				FZ_CHECK(strcmp(t.budget[i].member_id,
				                t.budget[j].member_id) ||
				         strcmp(t.budget[i].budget_line,
				                t.budget[j].budget_line),
				         "a budget line given twice");
		}
		for (size_t i = 0; i < t.tranche_count; i++) {
			FZ_CHECK(mpz_sgn(t.tranches[i].amount) > 0, "tranche <= 0");
			FZ_CHECK(t.tranches[i].due != GR_NO_DATE, "no due date");
			for (size_t j = 0; j < i; j++)
				FZ_CHECK(strcmp(t.tranches[i].name, t.tranches[j].name),
				         "a tranche given twice");
		}
		for (size_t i = 0; i < t.disbursement_count; i++) {
			FZ_CHECK(mpz_sgn(t.disbursements[i].amount) != 0, "zero");
			FZ_CHECK(t.disbursements[i].member < grant.member_count &&
			         t.disbursements[i].member != grant.lead, "member");
		}
		for (size_t i = 0; i < t.comment_count; i++)
			FZ_CHECK(t.comments[i].member < grant.member_count &&
			         *t.comments[i].text && *t.comments[i].budget_line,
			         "comment");
		for (size_t i = 0; i < t.declared_count; i++)
			FZ_CHECK(t.declared[i].member < grant.member_count &&
			         *t.declared[i].quarter, "declared");
	}
	gr_tables_release(&t);
	gr_inputs_release(&inputs);
	gr_diags_release(&diags);
	return 0;
}
