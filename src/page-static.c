/*
 * The few static files (the stylesheet): read once at first use from the
 * share directory's static/, served with a long cache lifetime.  Only
 * names in the table are served, so no path reaches the file system.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "web.h"
#include "banned.h"

static struct {
	const char	*name;
	const char	*ctype;
	struct buf	 body;
	int		 loaded;
} files[] = {
	{ "style.css", "text/css; charset=utf-8", { NULL, 0, 0 }, 0 },
};
static pthread_mutex_t	 files_lock = PTHREAD_MUTEX_INITIALIZER;

void
page_static(struct req *r)
{
	char	 path[4096], chunk[8192];
	FILE	*f;
	size_t	 i, n;

	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		if (strcmp(files[i].name, r->word) != 0)
			continue;
		pthread_mutex_lock(&files_lock);
		if (!files[i].loaded) {
			snprintf(path, sizeof path, "%s/static/%s", cfg.share,
			    files[i].name);
			if ((f = fopen(path, "rb")) != NULL) {
				while ((n = fread(chunk, 1, sizeof chunk, f)) >
				    0)
					buf_add(&files[i].body, chunk, n);
				fclose(f);
				files[i].loaded = 1;
			}
		}
		pthread_mutex_unlock(&files_lock);
		if (!files[i].loaded)
			break;
		reply_text(r, 200, files[i].ctype, files[i].body.s,
		    files[i].body.len);
		reply_header(r, "Cache-Control", "public, max-age=3600");
		return;
	}
	view_error(r, 404, "there is no such file");
}

void
static_free(void)
{
	size_t	 i;

	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		buf_free(&files[i].body);
		files[i].loaded = 0;
	}
}
