#include "grantrec/grant.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

static const char *const fx_names[] = {
	[GR_FX_DAILY] = "daily",
	[GR_FX_MONTHLY] = "monthly",
	[GR_FX_TRANSFER_AVERAGE] = "transfer-average",
};

const char *gr_fx_method_name(enum gr_fx_method method)
{
	return fx_names[method];
}

static const char *const column_names[GR_COL_COUNT] = {
	[GR_COL_DATE] = "date",
	[GR_COL_AMOUNT] = "amount",
	[GR_COL_CURRENCY] = "currency",
	[GR_COL_BUDGET_LINE] = "budget_line",
	[GR_COL_VOUCHER] = "voucher",
	[GR_COL_COUNTRY] = "country",
	[GR_COL_DESCRIPTION] = "description",
};

const char *gr_column_name(enum gr_column column)
{
	return column_names[column];
}

void gr_grant_init(struct gr_grant *grant)
{
	memset(grant, 0, sizeof(*grant));
	mpz_init(grant->amount);
	gr_dec_init(&grant->threshold);
	gr_dec_init(&grant->rules.max_shift);
	gr_dec_init(&grant->rules.indirect_cap);
	gr_dec_init(&grant->rules.own_percent);
	mpz_init(grant->rules.own_amount);
	grant->start = grant->end = GR_NO_DATE;
}

static void file_ref_release(struct gr_file_ref *ref)
{
	free(ref->name);
	free(ref->path);
}

static void member_release(struct gr_member *m)
{
	free(m->id);
	free(m->name);
	free(m->ledger_name);
	free(m->ledger_path);
	for (size_t i = 0; i < m->ledger_entry_count; i++) {
		free(m->ledger_entries[i]);
		free(m->ledger_entry_paths[i]);
	}
	free(m->ledger_entries);
	free(m->ledger_entry_paths);
	for (int c = 0; c < GR_COL_COUNT; c++)
		free(m->profile.columns[c]);
	free(m->org_ref);
	free(m->org_type);
}

static void rules_release(struct gr_rules *rules)
{
	gr_dec_clear(&rules->max_shift);
	gr_dec_clear(&rules->indirect_cap);
	gr_dec_clear(&rules->own_percent);
	mpz_clear(rules->own_amount);
	for (size_t i = 0; i < rules->indirect_line_count; i++)
		free(rules->indirect_lines[i]);
	free(rules->indirect_lines);
}

void gr_grant_release(struct gr_grant *grant)
{
	if (!grant)
		return;
	free(grant->ini_path);
	free(grant->dir);
	free(grant->name);
	free(grant->donor);
	free(grant->reference);
	mpz_clear(grant->amount);
	gr_dec_clear(&grant->threshold);
	file_ref_release(&grant->budget);
	file_ref_release(&grant->tranches);
	file_ref_release(&grant->disbursements);
	file_ref_release(&grant->comments);
	file_ref_release(&grant->daily_rates);
	file_ref_release(&grant->monthly_rates);
	file_ref_release(&grant->transfers);
	file_ref_release(&grant->declared);
	file_ref_release(&grant->budget_rates);
	for (size_t i = 0; i < grant->member_count; i++)
		member_release(&grant->members[i]);
	free(grant->members);
	for (size_t i = 0; i < grant->revision_count; i++)
		file_ref_release(&grant->revisions[i].file);
	free(grant->revisions);
	rules_release(&grant->rules);
	free(grant->iati_identifier);
	free(grant->donor_org_ref);
	free(grant->donor_org_type);
	memset(grant, 0, sizeof(*grant));
}

long gr_grant_find_member(const struct gr_grant *grant, const char *id)
{
	for (size_t i = 0; i < grant->member_count; i++)
		if (strcmp(grant->members[i].id, id) == 0)
			return (long)i;
	return -1;
}

/* ---- loading ---------------------------------------------------------- */

enum grant_key {
	K_NAME, K_DONOR, K_REFERENCE, K_CURRENCY, K_AMOUNT, K_START, K_END,
	K_THRESHOLD, K_ROUNDING, K_QUARTERS, K_BUDGET, K_TRANCHES,
	K_DISBURSEMENTS, K_COMMENTS, K_DAILY, K_MONTHLY, K_TRANSFERS,
	K_DECLARED, K_BUDGET_RATES, K_IATI_IDENTIFIER, K_DONOR_ORG_REF,
	K_DONOR_ORG_TYPE,
	K_GRANT_COUNT
};

static const char *const grant_keys[K_GRANT_COUNT] = {
	"name", "donor", "reference", "currency", "amount", "start", "end",
	"threshold", "rounding", "quarters", "budget", "tranches",
	"disbursements", "comments", "daily_rates", "monthly_rates", "transfers",
	"declared", "budget_rates", "iati_identifier", "donor_org_ref",
	"donor_org_type",
};

static const bool grant_key_required[K_GRANT_COUNT] = {
	[K_NAME] = true, [K_CURRENCY] = true, [K_AMOUNT] = true,
	[K_START] = true, [K_END] = true, [K_BUDGET] = true, [K_TRANCHES] = true,
};

enum member_key {
	M_NAME, M_ROLE, M_LEDGER, M_FX, M_DELIMITER, M_DECIMAL, M_THOUSANDS,
	M_DATE_FORMAT, M_ENCODING, M_ORG_REF, M_ORG_TYPE, M_COUNT
};

static const char *const member_keys[M_COUNT] = {
	"name", "role", "ledger", "fx", "delimiter", "decimal", "thousands",
	"date_format", "encoding", "org_ref", "org_type",
};

struct member_seen {
	long key_line[M_COUNT];
	long col_line[GR_COL_COUNT];
};

struct loader {
	struct gr_grant *grant;
	struct gr_diags *diags;
	const char *path;
	FILE *file;
	long line;              /* line the reader returned last */
	long section_line;      /* line of the latest [section] header */
	char section[256];      /* its name, whole: inih cuts names at 50 */
	long reported_section;  /* section line already reported as unknown */
	long grant_section_line;
	long key_line[K_GRANT_COUNT];
	struct member_seen *seen;
	size_t seen_cap;
	/* The section the keys now read belong to: a budget revision's
	 * index, or -1; [rules] keys seen, by their line. */
	long revision;
	long rules_key_line[4];
	bool oom;
};

static struct gr_member *member_for_section(struct loader *ld, const char *id,
                                            struct member_seen **seen);
static bool valid_member_id(const char *id);

/* [budget revision N]: N is a whole number from 2 (the original budget,
 * [grant] budget, is revision 1), each N once. */
static void see_revision(struct loader *ld, const char *section)
{
	struct gr_grant *g = ld->grant;
	const char *p = section + 15;
	while (*p == ' ')
		p++;
	char *end;
	errno = 0;
	unsigned long n = *p >= '0' && *p <= '9' ? strtoul(p, &end, 10) : 0;
	if (n < 2 || n > 999 || errno || *end) {
		char q[80];
		ld->reported_section = ld->line;
		gr_error(ld->diags, ld->path, ld->line,
		         "[%s]: expected [budget revision N] with N a whole number "
		         "from 2 to 999 (the original budget is revision 1); found "
		         "'%s'", section, gr_quote_value(q, sizeof(q), p));
		return;
	}
	for (size_t i = 0; i < g->revision_count; i++)
		if (g->revisions[i].number == n) {
			gr_error(ld->diags, ld->path, ld->line,
			         "a second [budget revision %lu] section (the first is on "
			         "line %ld)", n, g->revisions[i].ini_line);
			return;
		}
	size_t cap = g->revision_count;
	if (!gr_grow((void **)&g->revisions, &cap, g->revision_count + 1,
	             sizeof(*g->revisions))) {
		ld->oom = true;
		return;
	}
	struct gr_budget_revision *r = &g->revisions[g->revision_count++];
	memset(r, 0, sizeof(*r));
	r->number = (unsigned)n;
	r->approved = GR_NO_DATE;
	r->ini_line = ld->line;
	ld->revision = (long)g->revision_count - 1;
}

/* Every section header, keys or not: a [member x] with no keys still is a
 * member (whose missing keys are then reported), a section seen twice is
 * an error, and an unknown section is reported once, at its header. */
static void see_section(struct loader *ld, const char *name, size_t n)
{
	char *section = ld->section;
	snprintf(section, sizeof(ld->section), "%.*s",
	         (int)(n < sizeof(ld->section) - 1 ? n : sizeof(ld->section) - 1),
	         name);
	ld->revision = -1;
	if (strcmp(section, "grant") == 0) {
		if (ld->grant_section_line)
			gr_error(ld->diags, ld->path, ld->line,
			         "a second [grant] section (the first is on line %ld)",
			         ld->grant_section_line);
		ld->grant_section_line = ld->line;
		return;
	}
	if (strncmp(section, "member ", 7) == 0) {
		const char *id = section + 7;
		while (*id == ' ')
			id++;
		if (!valid_member_id(id)) {
			char q[80];
			ld->reported_section = ld->line;
			gr_error(ld->diags, ld->path, ld->line,
			         "[%s]: a member id is lower-case letters, digits, '-' "
			         "and '_', like [member tdh]; found '%s'", section,
			         gr_quote_value(q, sizeof(q), id));
			return;
		}
		for (size_t i = 0; i < ld->grant->member_count; i++)
			if (strcmp(ld->grant->members[i].id, id) == 0) {
				gr_error(ld->diags, ld->path, ld->line,
				         "a second [member %s] section (the first is on "
				         "line %ld)", id, ld->grant->members[i].ini_line);
				return;
			}
		struct member_seen *seen;
		member_for_section(ld, id, &seen);
		return;
	}
	if (strcmp(section, "rules") == 0) {
		if (ld->grant->rules.section_line)
			gr_error(ld->diags, ld->path, ld->line,
			         "a second [rules] section (the first is on line %ld)",
			         ld->grant->rules.section_line);
		else
			ld->grant->rules.section_line = ld->line;
		return;
	}
	if (strncmp(section, "budget revision", 15) == 0) {
		see_revision(ld, section);
		return;
	}
	ld->reported_section = ld->line;
	gr_error(ld->diags, ld->path, ld->line, "unknown section [%s]; expected "
	         "[grant], [member <id>], [rules] or [budget revision <N>]",
	         section);
}

/* inih pulls lines through this reader, which lets us know the line number
 * of every key (inih itself reports only the first failing line). */
static char *read_line(char *str, int num, void *stream)
{
	struct loader *ld = stream;
	char *s = fgets(str, num, ld->file);
	if (!s)
		return NULL;
	ld->line++;
	size_t len = strlen(s);
	if (len == (size_t)num - 1 && s[len - 1] != '\n' && !feof(ld->file)) {
		gr_error(ld->diags, ld->path, ld->line,
		         "line longer than %d characters", num - 2);
		/* skip the rest of the long line */
		int c;
		while ((c = fgetc(ld->file)) != EOF && c != '\n')
			;
		s[0] = '\0';
		return s;
	}
	/* Sections without keys never reach the handler: see them here. */
	const char *t = s;
	if (ld->line == 1 && strncmp(t, "\xef\xbb\xbf", 3) == 0)
		t += 3; /* a byte-order mark, as Notepad writes one */
	while (*t == ' ' || *t == '\t')
		t++;
	if (*t == '[') {
		ld->section_line = ld->line;
		const char *close = strchr(t, ']');
		if (close)
			see_section(ld, t + 1, (size_t)(close - t - 1));
	}
	return s;
}

static bool parse_choice(const char *value, const char *const *names,
                         int count, int *out)
{
	for (int i = 0; i < count; i++)
		if (names[i] && strcmp(value, names[i]) == 0) {
			*out = i;
			return true;
		}
	return false;
}

static void bad_value(struct loader *ld, const char *section, const char *key,
                      const char *value, const char *expected)
{
	char q[120];
	gr_error(ld->diags, ld->path, ld->line,
	         "[%s] %s = '%s': expected %s", section, key,
	         gr_quote_value(q, sizeof(q), value), expected);
}

static bool set_string(struct loader *ld, char **dst, const char *value)
{
	free(*dst);
	*dst = gr_strdup(value);
	if (!*dst)
		ld->oom = true;
	return *dst != NULL;
}

static void set_file(struct loader *ld, struct gr_file_ref *ref,
                     const char *value)
{
	file_ref_release(ref);
	ref->name = gr_strdup(value);
	ref->path = gr_path_join(ld->grant->dir, value);
	ref->ini_line = ld->line;
	if (!ref->name || !ref->path)
		ld->oom = true;
}

/* An IATI OrganisationType code: two digits, such as 10 (government), 21
 * (international NGO), 22 (national NGO). */
#define ORG_TYPE_EXPECTED "an IATI organisation type code such as 10 " \
	"(government), 21 (international NGO) or 22 (national NGO)"

static bool valid_org_type(const char *value)
{
	return strlen(value) == 2 && isdigit((unsigned char)value[0]) &&
	       isdigit((unsigned char)value[1]);
}

static void grant_key(struct loader *ld, const char *name, const char *value)
{
	struct gr_grant *g = ld->grant;
	int k;
	if (!parse_choice(name, grant_keys, K_GRANT_COUNT, &k)) {
		gr_error(ld->diags, ld->path, ld->line,
		         "unknown key '%s' in [grant]; expected one of: name, donor, "
		         "reference, currency, amount, start, end, threshold, "
		         "rounding, quarters, budget, tranches, disbursements, "
		         "comments, daily_rates, monthly_rates, transfers, declared, "
		         "budget_rates, iati_identifier, donor_org_ref, "
		         "donor_org_type", name);
		return;
	}
	if (ld->key_line[k]) {
		gr_error(ld->diags, ld->path, ld->line,
		         "[grant] %s is given twice (first on line %ld)", name,
		         ld->key_line[k]);
		return;
	}
	ld->key_line[k] = ld->line;
	if (*value == '\0' && k != K_DONOR && k != K_REFERENCE) {
		bad_value(ld, "grant", name, value, "a value");
		return;
	}
	const char *why;
	struct gr_dec dec;
	switch (k) {
	case K_NAME: set_string(ld, &g->name, value); break;
	case K_DONOR: set_string(ld, &g->donor, value); break;
	case K_REFERENCE: set_string(ld, &g->reference, value); break;
	case K_CURRENCY:
		if (strlen(value) != 3 || value[0] < 'A' || value[0] > 'Z' ||
		    value[1] < 'A' || value[1] > 'Z' || value[2] < 'A' ||
		    value[2] > 'Z') {
			bad_value(ld, "grant", name, value,
			          "an ISO 4217 code such as EUR (three capital letters)");
			break;
		}
		memcpy(g->currency, value, 4);
		break;
	case K_AMOUNT:
		gr_dec_init(&dec);
		why = gr_dec_parse(&dec, value, GR_NUMBER_PLAIN, 2);
		if (why)
			bad_value(ld, "grant", name, value, why);
		else if (mpz_sgn(dec.coef) <= 0)
			bad_value(ld, "grant", name, value, "an amount above zero");
		else
			gr_dec_to_cents(g->amount, &dec, GR_ROUND_HALF_UP, NULL);
		gr_dec_clear(&dec);
		break;
	case K_START:
	case K_END:
		why = gr_date_parse(k == K_START ? &g->start : &g->end, value,
		                    GR_DATE_ISO);
		if (why)
			bad_value(ld, "grant", name, value, why);
		break;
	case K_THRESHOLD:
		why = gr_dec_parse(&g->threshold, value, GR_NUMBER_PLAIN, 4);
		if (why)
			bad_value(ld, "grant", name, value, why);
		else if (mpz_sgn(g->threshold.coef) < 0)
			bad_value(ld, "grant", name, value, "a percentage of zero or more");
		break;
	case K_ROUNDING:
		if (strcmp(value, "half-up") == 0)
			g->rounding = GR_ROUND_HALF_UP;
		else if (strcmp(value, "half-even") == 0)
			g->rounding = GR_ROUND_HALF_EVEN;
		else
			bad_value(ld, "grant", name, value, "half-up or half-even");
		break;
	case K_QUARTERS:
		if (strcmp(value, "grant") == 0)
			g->quarters = GR_QUARTERS_GRANT;
		else if (strcmp(value, "calendar") == 0)
			g->quarters = GR_QUARTERS_CALENDAR;
		else
			bad_value(ld, "grant", name, value, "grant or calendar");
		break;
	case K_BUDGET: set_file(ld, &g->budget, value); break;
	case K_TRANCHES: set_file(ld, &g->tranches, value); break;
	case K_DISBURSEMENTS: set_file(ld, &g->disbursements, value); break;
	case K_COMMENTS: set_file(ld, &g->comments, value); break;
	case K_DAILY: set_file(ld, &g->daily_rates, value); break;
	case K_MONTHLY: set_file(ld, &g->monthly_rates, value); break;
	case K_TRANSFERS: set_file(ld, &g->transfers, value); break;
	case K_DECLARED: set_file(ld, &g->declared, value); break;
	case K_BUDGET_RATES: set_file(ld, &g->budget_rates, value); break;
	case K_IATI_IDENTIFIER: set_string(ld, &g->iati_identifier, value); break;
	case K_DONOR_ORG_REF: set_string(ld, &g->donor_org_ref, value); break;
	case K_DONOR_ORG_TYPE:
		if (valid_org_type(value))
			set_string(ld, &g->donor_org_type, value);
		else
			bad_value(ld, "grant", name, value, ORG_TYPE_EXPECTED);
		break;
	}
}

/* A percentage of zero or more, up to four decimals. */
static bool parse_percent(struct loader *ld, const char *section,
                          const char *key, const char *value,
                          struct gr_dec *out)
{
	const char *why = gr_dec_parse(out, value, GR_NUMBER_PLAIN, 4);
	if (!why && mpz_sgn(out->coef) < 0)
		why = "a percentage of zero or more";
	if (why)
		bad_value(ld, section, key, value, why);
	return !why;
}

static bool above_hundred(const struct gr_dec *percent)
{
	mpz_t hundred;
	mpz_init(hundred);
	mpz_ui_pow_ui(hundred, 10, (unsigned long)percent->scale);
	mpz_mul_ui(hundred, hundred, 100);
	bool above = mpz_cmp(percent->coef, hundred) > 0;
	mpz_clear(hundred);
	return above;
}

/* "10", "10%" or "10 %": a share of total costs; "250000.00 EUR" or
 * "EUR 250000.00": an amount in the grant currency. */
static void set_own_contribution(struct loader *ld, const char *value)
{
	struct gr_rules *r = &ld->grant->rules;
	const char *expected = "a percentage of total costs (10 or 10%) or an "
	                       "amount with the grant currency (250000.00 EUR)";
	size_t n = strlen(value);
	char *text = gr_strdup(value);
	if (!text) {
		ld->oom = true;
		return;
	}
	bool amount = false;
	char *number = text;
	if (n > 4 && text[3] == ' ' && isupper((unsigned char)text[0])) {
		amount = true;   /* "EUR 250000.00" */
		number = text + 4;
		text[3] = '\0';
	} else if (n > 4 && text[n - 4] == ' ' &&
	           isupper((unsigned char)text[n - 1])) {
		amount = true;   /* "250000.00 EUR" */
		text[n - 4] = '\0';
	} else if (n > 1 && text[n - 1] == '%') {
		text[--n] = '\0';
		while (n > 0 && text[n - 1] == ' ')
			text[--n] = '\0';
	}
	const char *code = amount ? (number == text + 4 ? text : text + n - 3)
	                          : NULL;
	if (amount && strcmp(code, ld->grant->currency) != 0 &&
	    ld->grant->currency[0]) {
		char q[120];
		gr_error(ld->diags, ld->path, ld->line,
		         "[rules] own_contribution = '%s': the amount must be in the "
		         "grant currency %s", gr_quote_value(q, sizeof(q), value),
		         ld->grant->currency);
	} else if (amount) {
		struct gr_dec dec;
		gr_dec_init(&dec);
		const char *why = gr_dec_parse(&dec, number, GR_NUMBER_PLAIN, 2);
		if (why || mpz_sgn(dec.coef) < 0) {
			bad_value(ld, "rules", "own_contribution", value, expected);
		} else {
			gr_dec_to_cents(r->own_amount, &dec, GR_ROUND_HALF_UP, NULL);
			r->own_kind = GR_OWN_AMOUNT;
		}
		gr_dec_clear(&dec);
	} else if (gr_dec_parse(&r->own_percent, text, GR_NUMBER_PLAIN, 4) ||
	           mpz_sgn(r->own_percent.coef) < 0 ||
	           above_hundred(&r->own_percent)) {
		bad_value(ld, "rules", "own_contribution", value, expected);
	} else {
		r->own_kind = GR_OWN_PERCENT;
	}
	free(text);
}

/* "Indirect costs, Audit": budget line names as in budget.csv. */
static void set_indirect_lines(struct loader *ld, const char *value)
{
	struct gr_rules *r = &ld->grant->rules;
	size_t n = 1;
	for (const char *p = value; *p; p++)
		n += *p == ',';
	r->indirect_lines = gr_calloc(n, sizeof(*r->indirect_lines));
	if (!r->indirect_lines) {
		ld->oom = true;
		return;
	}
	const char *start = value;
	for (size_t i = 0; i < n; i++) {
		const char *end = strchr(start, ',');
		if (!end)
			end = start + strlen(start);
		char *raw = gr_strndup(start, (size_t)(end - start));
		char *name = raw ? gr_trim_dup(raw) : NULL;
		free(raw);
		if (!name) {
			ld->oom = true;
			return;
		}
		if (!*name) {
			free(name);
			bad_value(ld, "rules", "indirect_lines", value,
			          "budget line names separated by commas");
			return;
		}
		r->indirect_lines[r->indirect_line_count++] = name;
		start = end + 1;
	}
}

enum rules_key { R_MAX_SHIFT, R_INDIRECT_LINES, R_INDIRECT_CAP, R_OWN,
                 R_COUNT };

static const char *const rules_keys[R_COUNT] = {
	"max_shift", "indirect_lines", "indirect_cap", "own_contribution",
};

static void rules_key(struct loader *ld, const char *name, const char *value)
{
	struct gr_rules *r = &ld->grant->rules;
	int k;
	if (!parse_choice(name, rules_keys, R_COUNT, &k)) {
		gr_error(ld->diags, ld->path, ld->line,
		         "unknown key '%s' in [rules]; expected one of: max_shift, "
		         "indirect_lines, indirect_cap, own_contribution", name);
		return;
	}
	if (ld->rules_key_line[k]) {
		gr_error(ld->diags, ld->path, ld->line,
		         "[rules] %s is given twice (first on line %ld)", name,
		         ld->rules_key_line[k]);
		return;
	}
	ld->rules_key_line[k] = ld->line;
	if (!*value) {
		bad_value(ld, "rules", name, value, "a value");
		return;
	}
	switch (k) {
	case R_MAX_SHIFT:
		r->max_shift_set = parse_percent(ld, "rules", name, value,
		                                 &r->max_shift);
		r->max_shift_line = ld->line;
		break;
	case R_INDIRECT_CAP:
		r->indirect_cap_set = parse_percent(ld, "rules", name, value,
		                                    &r->indirect_cap);
		r->indirect_cap_line = ld->line;
		break;
	case R_INDIRECT_LINES:
		set_indirect_lines(ld, value);
		r->indirect_lines_line = ld->line;
		break;
	case R_OWN:
		set_own_contribution(ld, value);
		r->own_line = ld->line;
		break;
	}
}

static void revision_key(struct loader *ld, const char *name,
                         const char *value)
{
	struct gr_budget_revision *r = &ld->grant->revisions[ld->revision];
	char section[40];
	snprintf(section, sizeof(section), "budget revision %u", r->number);
	if (strcmp(name, "file") == 0) {
		if (r->file.name)
			gr_error(ld->diags, ld->path, ld->line,
			         "[%s] file is given twice (first on line %ld)", section,
			         r->file.ini_line);
		else if (!*value)
			bad_value(ld, section, name, value, "a file name");
		else
			set_file(ld, &r->file, value);
	} else if (strcmp(name, "approved") == 0) {
		const char *why;
		if (r->approved_line)
			gr_error(ld->diags, ld->path, ld->line,
			         "[%s] approved is given twice (first on line %ld)",
			         section, r->approved_line);
		else if ((why = gr_date_parse(&r->approved, value, GR_DATE_ISO)))
			bad_value(ld, section, name, value, why);
		r->approved_line = ld->line;
	} else {
		gr_error(ld->diags, ld->path, ld->line,
		         "unknown key '%s' in [%s]; expected file or approved", name,
		         section);
	}
}

/* "a.csv, b.csv" or "exports/": each entry trimmed and resolved. */
static void set_ledger_entries(struct loader *ld, const char *section,
                               struct gr_member *m, const char *value)
{
	size_t n = 1;
	for (const char *p = value; *p; p++)
		n += *p == ',';
	m->ledger_entries = gr_calloc(n, sizeof(*m->ledger_entries));
	m->ledger_entry_paths = gr_calloc(n, sizeof(*m->ledger_entry_paths));
	if (!m->ledger_entries || !m->ledger_entry_paths) {
		ld->oom = true;
		return;
	}
	const char *start = value;
	for (size_t i = 0; i < n; i++) {
		const char *end = strchr(start, ',');
		if (!end)
			end = start + strlen(start);
		char *raw = gr_strndup(start, (size_t)(end - start));
		char *entry = raw ? gr_trim_dup(raw) : NULL;
		free(raw);
		if (!entry) {
			ld->oom = true;
			return;
		}
		if (!*entry) {
			bad_value(ld, section, "ledger", value,
			          "file or folder names separated by commas");
			free(entry);
			return;
		}
		m->ledger_entries[i] = entry;
		m->ledger_entry_paths[i] = gr_path_join(ld->grant->dir, entry);
		m->ledger_entry_count = i + 1;
		if (!m->ledger_entry_paths[i]) {
			ld->oom = true;
			return;
		}
		start = end + 1;
	}
	free(m->ledger_path);
	m->ledger_path = gr_strdup(m->ledger_entry_paths[0]);
	if (!m->ledger_path)
		ld->oom = true;
}

static bool valid_member_id(const char *id)
{
	if (!*id)
		return false;
	for (const char *p = id; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		      *p == '-' || *p == '_'))
			return false;
	return true;
}

static struct gr_member *member_for_section(struct loader *ld, const char *id,
                                            struct member_seen **seen)
{
	struct gr_grant *g = ld->grant;
	for (size_t i = 0; i < g->member_count; i++)
		if (strcmp(g->members[i].id, id) == 0) {
			*seen = &ld->seen[i];
			return &g->members[i];
		}
	size_t cap = g->member_count;
	if (!gr_grow((void **)&g->members, &cap, g->member_count + 1,
	             sizeof(*g->members)) ||
	    !gr_grow((void **)&ld->seen, &ld->seen_cap, g->member_count + 1,
	             sizeof(*ld->seen))) {
		ld->oom = true;
		return NULL;
	}
	/* gr_grow may leave capacity beyond count: keep members exact. */
	struct gr_member *m = &g->members[g->member_count];
	memset(m, 0, sizeof(*m));
	memset(&ld->seen[g->member_count], 0, sizeof(*ld->seen));
	m->id = gr_strdup(id);
	if (!m->id) {
		ld->oom = true;
		return NULL;
	}
	m->ini_line = ld->section_line;
	m->profile.delimiter = ',';
	m->profile.number = GR_NUMBER_PLAIN;
	m->profile.date_format = GR_DATE_ISO;
	m->profile.encoding = GR_ENC_UTF8;
	*seen = &ld->seen[g->member_count];
	g->member_count++;
	return m;
}

static void member_key(struct loader *ld, const char *section_id,
                       const char *name, const char *value)
{
	struct member_seen *seen;
	struct gr_member *m = member_for_section(ld, section_id, &seen);
	if (!m)
		return;
	char section[80];
	snprintf(section, sizeof(section), "member %s", section_id);

	if (strncmp(name, "col.", 4) == 0) {
		int c;
		if (!parse_choice(name + 4, column_names, GR_COL_COUNT, &c)) {
			gr_error(ld->diags, ld->path, ld->line,
			         "unknown key '%s' in [%s]; column keys are col.date, "
			         "col.amount, col.currency, col.budget_line, col.voucher, "
			         "col.country and col.description", name, section);
			return;
		}
		if (seen->col_line[c]) {
			gr_error(ld->diags, ld->path, ld->line,
			         "[%s] %s is given twice (first on line %ld)", section,
			         name, seen->col_line[c]);
			return;
		}
		seen->col_line[c] = ld->line;
		if (!*value)
			bad_value(ld, section, name, value, "a column name");
		else
			set_string(ld, &m->profile.columns[c], value);
		return;
	}
	int k;
	if (!parse_choice(name, member_keys, M_COUNT, &k)) {
		gr_error(ld->diags, ld->path, ld->line,
		         "unknown key '%s' in [%s]; expected one of: name, role, "
		         "ledger, fx, delimiter, decimal, thousands, date_format, "
		         "encoding, org_ref, org_type, col.<column>", name, section);
		return;
	}
	if (seen->key_line[k]) {
		gr_error(ld->diags, ld->path, ld->line,
		         "[%s] %s is given twice (first on line %ld)", section, name,
		         seen->key_line[k]);
		return;
	}
	seen->key_line[k] = ld->line;
	int choice;
	switch (k) {
	case M_NAME:
		if (!*value)
			bad_value(ld, section, name, value, "a name");
		else
			set_string(ld, &m->name, value);
		break;
	case M_ROLE:
		if (strcmp(value, "lead") == 0 || strcmp(value, "member") == 0) {
			m->lead = value[0] == 'l';
		} else {
			bad_value(ld, section, name, value, "lead or member");
		}
		break;
	case M_LEDGER:
		if (!*value) {
			bad_value(ld, section, name, value, "a file name");
			break;
		}
		set_string(ld, &m->ledger_name, value);
		set_ledger_entries(ld, section, m, value);
		break;
	case M_FX: {
		static const char *const names[] = {
			"daily", "monthly", "transfer-average",
		};
		if (parse_choice(value, names, 3, &choice))
			m->fx = (enum gr_fx_method)choice;
		else
			bad_value(ld, section, name, value,
			          "daily, monthly or transfer-average");
		break;
	}
	case M_DELIMITER: {
		static const char *const names[] = {
			"comma", "semicolon", "tab", "pipe",
		};
		static const char chars[] = {',', ';', '\t', '|'};
		if (parse_choice(value, names, 4, &choice))
			m->profile.delimiter = chars[choice];
		else
			bad_value(ld, section, name, value,
			          "comma, semicolon, tab or pipe");
		break;
	}
	case M_DECIMAL:
		if (strcmp(value, "point") == 0)
			m->profile.number.decimal_mark = '.';
		else if (strcmp(value, "comma") == 0)
			m->profile.number.decimal_mark = ',';
		else
			bad_value(ld, section, name, value, "point or comma");
		break;
	case M_THOUSANDS: {
		static const char *const names[] = {
			"none", "point", "comma", "space", "apostrophe",
		};
		static const char chars[] = {0, '.', ',', ' ', '\''};
		if (parse_choice(value, names, 5, &choice))
			m->profile.number.group_mark = chars[choice];
		else
			bad_value(ld, section, name, value,
			          "none, point, comma, space or apostrophe");
		break;
	}
	case M_DATE_FORMAT: {
		static const char *const names[] = {
			"YYYY-MM-DD", "DD-MM-YYYY", "DD/MM/YYYY", "MM/DD/YYYY",
			"DD.MM.YYYY",
		};
		if (parse_choice(value, names, 5, &choice))
			m->profile.date_format = (enum gr_date_format)choice;
		else
			bad_value(ld, section, name, value,
			          "YYYY-MM-DD, DD-MM-YYYY, DD/MM/YYYY, MM/DD/YYYY or "
			          "DD.MM.YYYY");
		break;
	}
	case M_ENCODING:
		if (strcmp(value, "utf-8") == 0)
			m->profile.encoding = GR_ENC_UTF8;
		else if (strcmp(value, "windows-1252") == 0)
			m->profile.encoding = GR_ENC_WINDOWS_1252;
		else
			bad_value(ld, section, name, value, "utf-8 or windows-1252");
		break;
	case M_ORG_REF:
		if (!*value)
			bad_value(ld, section, name, value,
			          "an IATI organisation identifier");
		else
			set_string(ld, &m->org_ref, value);
		break;
	case M_ORG_TYPE:
		if (valid_org_type(value))
			set_string(ld, &m->org_type, value);
		else
			bad_value(ld, section, name, value, ORG_TYPE_EXPECTED);
		break;
	}
}

static int on_key(void *user, const char *inih_section, const char *name,
                  const char *value)
{
	struct loader *ld = user;
	/* The reader saw the header whole; inih may have cut a long name. */
	const char *section = ld->section_line ? ld->section : inih_section;
	if (strcmp(section, "grant") == 0) {
		grant_key(ld, name, value);
	} else if (strncmp(section, "member ", 7) == 0) {
		const char *id = section + 7;
		while (*id == ' ')
			id++;
		if (!valid_member_id(id)) {
			char q[80];
			if (ld->reported_section == ld->section_line)
				return 1;
			ld->reported_section = ld->section_line;
			gr_error(ld->diags, ld->path, ld->section_line,
			         "[%s]: a member id is lower-case letters, digits, '-' "
			         "and '_', like [member tdh]; found '%s'", section,
			         gr_quote_value(q, sizeof(q), id));
			return 1;
		}
		member_key(ld, id, name, value);
	} else if (strcmp(section, "rules") == 0) {
		rules_key(ld, name, value);
	} else if (ld->revision >= 0) {
		revision_key(ld, name, value);
	} else if (*section == '\0') {
		gr_error(ld->diags, ld->path, ld->line,
		         "key '%s' before any section: it belongs under [grant] or "
		         "[member <id>]", name);
	} else if (ld->reported_section != ld->section_line) {
		ld->reported_section = ld->section_line;
		gr_error(ld->diags, ld->path, ld->section_line, "unknown section "
		         "[%s]; expected [grant], [member <id>], [rules] or [budget "
		         "revision <N>]", section);
	}
	return 1;
}

static void check_profile(struct loader *ld, struct gr_member *m,
                          struct member_seen *seen)
{
	struct gr_profile *p = &m->profile;
	if (p->number.group_mark && p->number.group_mark == p->number.decimal_mark)
		gr_error(ld->diags, ld->path, seen->key_line[M_THOUSANDS],
		         "[member %s] thousands and decimal are both '%c': they must "
		         "differ", m->id, p->number.decimal_mark);
	/* A decimal or group mark equal to the delimiter is allowed: such
	 * fields are quoted in the export. */
	for (int c = 0; c < GR_COL_COUNT; c++) {
		if (!p->columns[c]) {
			p->columns[c] = gr_strdup(column_names[c]);
			if (!p->columns[c])
				ld->oom = true;
		}
	}
	for (int a = 0; a < GR_COL_COUNT && !ld->oom; a++)
		for (int b = a + 1; b < GR_COL_COUNT; b++)
			if (strcmp(p->columns[a], p->columns[b]) == 0)
				gr_error(ld->diags, ld->path,
				         seen->col_line[b] ? seen->col_line[b]
				         : seen->col_line[a] ? seen->col_line[a] : m->ini_line,
				         "[member %s] columns %s and %s both name the "
				         "header '%s'", m->id, column_names[a],
				         column_names[b], p->columns[a]);
}

static int by_revision_number(const void *a, const void *b)
{
	const struct gr_budget_revision *x = a, *y = b;
	return (x->number > y->number) - (x->number < y->number);
}

/* Each revision has its file and approval date, revisions are approved
 * in the order of their numbers, and none before the grant starts. */
static void check_revisions(struct loader *ld)
{
	struct gr_grant *g = ld->grant;
	gr_sort(g->revisions, g->revision_count, sizeof(*g->revisions),
	        by_revision_number);
	for (size_t i = 0; i < g->revision_count; i++) {
		const struct gr_budget_revision *r = &g->revisions[i];
		if (!r->file.name)
			gr_error(ld->diags, ld->path, r->ini_line,
			         "[budget revision %u] has no file (file = <budget "
			         "table>)", r->number);
		if (!r->approved_line) {
			gr_error(ld->diags, ld->path, r->ini_line,
			         "[budget revision %u] has no approved date (approved "
			         "= YYYY-MM-DD, the day the donor approved it)",
			         r->number);
			continue;
		}
		if (r->approved == GR_NO_DATE)
			continue;
		if (g->start != GR_NO_DATE && r->approved < g->start)
			gr_error(ld->diags, ld->path, r->approved_line,
			         "[budget revision %u] approved before the grant "
			         "starts", r->number);
		if (i > 0 && g->revisions[i - 1].approved != GR_NO_DATE &&
		    r->approved < g->revisions[i - 1].approved)
			gr_error(ld->diags, ld->path, r->approved_line,
			         "[budget revision %u] approved before revision %u "
			         "(revisions are numbered in the order approved)",
			         r->number, g->revisions[i - 1].number);
	}
	if (g->revision_count > 0 && !g->budget.name)
		gr_error(ld->diags, ld->path, g->revisions[0].ini_line,
		         "[budget revision %u] without [grant] budget (the original "
		         "budget)", g->revisions[0].number);
}

static void check_grant(struct loader *ld)
{
	struct gr_grant *g = ld->grant;
	if (!ld->grant_section_line) {
		gr_error(ld->diags, ld->path, 0, "no [grant] section");
		return;
	}
	for (int k = 0; k < K_GRANT_COUNT; k++)
		if (grant_key_required[k] && !ld->key_line[k])
			gr_error(ld->diags, ld->path, ld->grant_section_line,
			         "[grant] has no %s", grant_keys[k]);
	if (!ld->key_line[K_THRESHOLD])
		mpz_set_ui(g->threshold.coef, 10); /* the field's usual 10 % */
	if (g->start != GR_NO_DATE && g->end != GR_NO_DATE && g->end < g->start)
		gr_error(ld->diags, ld->path, ld->key_line[K_END],
		         "[grant] end is before start");
	if (g->member_count == 0) {
		gr_error(ld->diags, ld->path, 0,
		         "no [member <id>] section: a grant needs at least one member");
		return;
	}
	long lead = -1;
	for (size_t i = 0; i < g->member_count; i++) {
		struct gr_member *m = &g->members[i];
		struct member_seen *seen = &ld->seen[i];
		if (!seen->key_line[M_LEDGER])
			gr_error(ld->diags, ld->path, m->ini_line,
			         "[member %s] has no ledger (ledger = <file>)", m->id);
		if (!seen->key_line[M_FX])
			gr_error(ld->diags, ld->path, m->ini_line,
			         "[member %s] has no fx method (fx = daily, monthly or "
			         "transfer-average)", m->id);
		if (!m->name && !(m->name = gr_strdup(m->id)))
			ld->oom = true;
		if (m->lead) {
			if (lead >= 0)
				gr_error(ld->diags, ld->path,
				         seen->key_line[M_ROLE],
				         "two leads: [member %s] and [member %s]; exactly "
				         "one member is the lead",
				         g->members[lead].id, m->id);
			else
				lead = (long)i;
		}
		check_profile(ld, m, seen);
		const struct gr_file_ref *needed = NULL;
		const char *key = NULL;
		switch (m->fx) {
		case GR_FX_DAILY: needed = &g->daily_rates; key = "daily_rates"; break;
		case GR_FX_MONTHLY: needed = &g->monthly_rates; key = "monthly_rates"; break;
		case GR_FX_TRANSFER_AVERAGE: needed = &g->transfers; key = "transfers"; break;
		}
		if (seen->key_line[M_FX] && !needed->name)
			gr_error(ld->diags, ld->path, seen->key_line[M_FX],
			         "[member %s] uses fx = %s but [grant] names no %s file",
			         m->id, fx_names[m->fx], key);
	}
	if (lead < 0)
		gr_error(ld->diags, ld->path, 0,
		         "no lead member: none of the %zu member%s has role = lead; "
		         "put role = lead in the grant holder's [member] section "
		         "(the others are members by default)", g->member_count,
		         g->member_count == 1 ? "" : "s");
	else
		g->lead = (size_t)lead;
	check_revisions(ld);
}

enum gr_status gr_grant_load(struct gr_grant *grant, const char *ini_path,
                             struct gr_inputs *inputs, struct gr_diags *diags)
{
	size_t errors_before = diags->errors;
	grant->ini_path = gr_strdup(ini_path);
	grant->dir = gr_path_dir(ini_path);
	if (!grant->ini_path || !grant->dir) {
		gr_error(diags, NULL, 0, "out of memory");
		return GR_E_SYSTEM;
	}
	const char *base = strrchr(ini_path, '/');
	struct gr_input *in = gr_inputs_add(inputs, "grant",
	                                    base ? base + 1 : ini_path, ini_path);
	if (!in) {
		gr_error(diags, NULL, 0, "out of memory");
		return GR_E_SYSTEM;
	}
	enum gr_status st = gr_input_hash_file(in, diags);
	if (st != GR_OK)
		return st;

	struct loader ld = {
		.grant = grant, .diags = diags, .path = ini_path, .revision = -1,
	};
	ld.file = fopen(ini_path, "r");
	if (!ld.file) {
		gr_error(diags, ini_path, 0, "cannot open: %s", strerror(errno));
		return GR_E_INPUT;
	}
	/* A continuation line would be read as a second value for the same
	 * key; grant.ini has no use for them. */
	ini_allow_multiline = false;
	int rc = ini_parse_stream(read_line, &ld, on_key, &ld);
	fclose(ld.file);
	if (rc > 0)
		gr_error(diags, ini_path, rc,
		         "not a valid INI line: expected [section] or key = value");
	else if (rc < 0 && rc != -1)
		ld.oom = true;
	if (!ld.oom)
		check_grant(&ld);
	free(ld.seen);
	if (ld.oom) {
		gr_error(diags, NULL, 0, "out of memory");
		return GR_E_SYSTEM;
	}
	return diags->errors > errors_before ? GR_E_INPUT : GR_OK;
}
