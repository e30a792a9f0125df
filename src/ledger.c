#include "grantrec/ledger.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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
		const char *hint = why == GR_DEC_NO_GROUPING_POINT
			? "; if the export groups digits, set thousands = comma"
			: why == GR_DEC_NO_GROUPING_COMMA
			? "; if the export groups digits, set thousands = point" : NULL;
		if (hint)
			gr_error(ld->diags, path, row->line,
			         "column '%s': invalid amount '%s': expected %s%s in "
			         "[member %s]", ld->names[GR_COL_AMOUNT],
			         gr_quote_value(q, sizeof(q), amount), why, hint,
			         ld->member->id);
		else
			gr_error(ld->diags, path, row->line,
			         "column '%s': invalid amount '%s': expected %s",
			         ld->names[GR_COL_AMOUNT],
			         gr_quote_value(q, sizeof(q), amount), why);
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

static int name_cmp(const void *a, const void *b)
{
	/* Byte order, not strcoll: the order must not depend on the locale. */
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool has_csv_suffix(const char *name)
{
	size_t n = strlen(name);
	return n > 4 && (strcmp(name + n - 4, ".csv") == 0 ||
	                 strcmp(name + n - 4, ".CSV") == 0);
}

/* The *.csv files of a folder in name order (hidden files skipped), as
 * names relative to the folder. NULL with *count 0 when there are none. */
static char **list_folder(const char *path, size_t *count, bool *oom)
{
	*count = 0;
	DIR *dir = opendir(path);
	if (!dir)
		return NULL;
	char **names = NULL;
	size_t cap = 0;
	struct dirent *e;
	while ((e = readdir(dir))) {
		if (e->d_name[0] == '.' || !has_csv_suffix(e->d_name))
			continue;
		char *copy = gr_strdup(e->d_name);
		if (!copy || !gr_grow((void **)&names, &cap, *count + 1,
		                      sizeof(*names))) {
			free(copy);
			*oom = true;
			break;
		}
		names[(*count)++] = copy;
	}
	closedir(dir);
	if (*count > 1)
		gr_sort(names, *count, sizeof(*names), name_cmp);
	return names;
}

struct ledger_files {
	char **names;  /* as shown in the manifest: entry or entry/file.csv */
	char **paths;
	size_t count, cap;
};

static bool add_file(struct ledger_files *f, char *name, char *path)
{
	size_t cap = f->cap;
	if (!name || !path ||
	    !gr_grow((void **)&f->names, &cap, f->count + 1, sizeof(*f->names)) ||
	    !gr_grow((void **)&f->paths, &f->cap, f->count + 1, sizeof(*f->paths))) {
		free(name);
		free(path);
		return false;
	}
	f->names[f->count] = name;
	f->paths[f->count++] = path;
	return true;
}

static void files_release(struct ledger_files *f)
{
	for (size_t i = 0; i < f->count; i++) {
		free(f->names[i]);
		free(f->paths[i]);
	}
	free(f->names);
	free(f->paths);
}

/* Expands a member's ledger entries: files stay, folders become their
 * *.csv files. An empty folder is an error: a quarter's export missing is
 * exactly what a finance officer needs to hear about. */
static enum gr_status expand_entries(const struct gr_member *member,
                                     struct ledger_files *files,
                                     struct gr_diags *diags)
{
	for (size_t e = 0; e < member->ledger_entry_count; e++) {
		const char *entry = member->ledger_entries[e];
		const char *path = member->ledger_entry_paths[e];
		struct stat st;
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			bool oom = false;
			size_t n;
			char **names = list_folder(path, &n, &oom);
			bool ok = !oom;
			if (ok && n == 0)
				gr_error(diags, path, 0, "the ledger folder of member '%s' "
				         "holds no .csv file", member->id);
			for (size_t i = 0; i < n; i++) {
				const char *sep = entry[strlen(entry) - 1] == '/' ? "" : "/";
				const char *psep = path[strlen(path) - 1] == '/' ? "" : "/";
				if (ok)
					ok = add_file(files, gr_asprintf("%s%s%s", entry, sep,
					                                 names[i]),
					              gr_asprintf("%s%s%s", path, psep, names[i]));
				free(names[i]);
			}
			free(names);
			if (!ok)
				return GR_E_SYSTEM;
			if (n == 0)
				return GR_E_INPUT;
		} else if (!add_file(files, gr_strdup(entry), gr_strdup(path))) {
			return GR_E_SYSTEM;
		}
	}
	return GR_OK;
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
		struct ledger_files files = {0};
		enum gr_status s = expand_entries(member, &files, diags);
		if (s == GR_E_SYSTEM) {
			files_release(&files);
			gr_error(diags, NULL, 0, "out of memory");
			return GR_E_SYSTEM;
		}
		if (s > st)
			st = s;
		char role[160];
		snprintf(role, sizeof(role), "ledger %s", member->id);
		for (size_t f = 0; f < files.count; f++) {
			struct gr_input *in = gr_inputs_add(inputs, role, files.names[f],
			                                    files.paths[f]);
			if (!in) {
				files_release(&files);
				gr_error(diags, NULL, 0, "out of memory");
				return GR_E_SYSTEM;
			}
			struct loader ld = {
				.ledger = ledger, .member = member,
				.member_index = (uint32_t)m, .input = in, .diags = diags,
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
			s = gr_table_read(in, &options, &cols, ledger_row, &ld, diags);
			if (ld.oom) {
				files_release(&files);
				gr_error(diags, NULL, 0, "out of memory");
				return GR_E_SYSTEM;
			}
			if (s > st)
				st = s;
		}
		files_release(&files);
	}
	return st;
}
