#include "grantrec/inputs.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

struct gr_input *gr_inputs_add(struct gr_inputs *inputs, const char *role,
                               const char *name, const char *path)
{
	if (!gr_grow((void **)&inputs->items, &inputs->cap, inputs->count + 1,
	             sizeof(*inputs->items)))
		return NULL;
	struct gr_input *in = gr_calloc(1, sizeof(*in));
	if (!in)
		return NULL;
	in->role = gr_strdup(role);
	in->name = gr_strdup(name);
	in->path = gr_strdup(path);
	if (!in->role || !in->name || !in->path) {
		free(in->role);
		free(in->name);
		free(in->path);
		free(in);
		return NULL;
	}
	inputs->items[inputs->count++] = in;
	return in;
}

void gr_inputs_release(struct gr_inputs *inputs)
{
	for (size_t i = 0; i < inputs->count; i++) {
		free(inputs->items[i]->role);
		free(inputs->items[i]->name);
		free(inputs->items[i]->path);
		free(inputs->items[i]);
	}
	free(inputs->items);
	memset(inputs, 0, sizeof(*inputs));
}

enum gr_status gr_input_hash_file(struct gr_input *input,
                                  struct gr_diags *diags)
{
	FILE *f = fopen(input->path, "rb");
	if (!f) {
		gr_error(diags, input->path, 0, "cannot open: %s", strerror(errno));
		return GR_E_INPUT;
	}
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	if (!md || !EVP_DigestInit_ex(md, EVP_sha256(), NULL)) {
		EVP_MD_CTX_free(md);
		fclose(f);
		gr_error(diags, NULL, 0, "cannot start SHA-256 (libcrypto)");
		return GR_E_SYSTEM;
	}
	unsigned char buf[65536];
	size_t n;
	long lines = 0;
	unsigned char last = '\n';
	bool any = false;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		EVP_DigestUpdate(md, buf, n);
		for (size_t i = 0; i < n; i++)
			if (buf[i] == '\n')
				lines++;
		last = buf[n - 1];
		any = true;
	}
	bool failed = ferror(f);
	fclose(f);
	unsigned char digest[32];
	EVP_DigestFinal_ex(md, digest, NULL);
	EVP_MD_CTX_free(md);
	if (failed) {
		gr_error(diags, input->path, 0, "cannot read: %s", strerror(errno));
		return GR_E_INPUT;
	}
	if (any && last != '\n')
		lines++;
	for (int i = 0; i < 32; i++)
		snprintf(input->sha256 + 2 * i, 3, "%02x", digest[i]);
	input->lines = lines;
	return GR_OK;
}
