/* `download`: fetch a source file with libcurl from a list of sites into
 * DL_DIR, verify it against .hash files, and only then rename it into place.
 *
 *   download --dl-dir DIR --file NAME [--hash-file F]... [--no-hash]
 *            (--site BASE_URL | --url FULL_URL)...
 *
 * Sites are tried in order; each gets a few attempts with backoff for
 * transient errors; a partial file is resumed when the server honours
 * ranges. A lock on DIR/NAME.lock keeps two builds sharing a DL_DIR apart. */
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "hashfile.h"
#include "helper.h"

#define MAX_URLS 16
#define ATTEMPTS 3

struct progress {
	const char *name;
	int tty;
	time_t last;
	curl_off_t offset;   /* bytes already on disk when resuming */
	struct timespec start;
};

static double since(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

static int on_progress(void *p, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ut, curl_off_t un)
{
	struct progress *pr = p;
	(void)ut;
	(void)un;
	time_t now = time(NULL);
	if (!pr->tty || now == pr->last || dltotal <= 0)
		return 0;
	pr->last = now;
	/* bytes, percentage, rate and time left, on one rewritten line */
	double secs = since(&pr->start);
	double rate = secs > 0 ? (double)dlnow / secs : 0;
	long long left = rate > 0 ? (long long)((double)(dltotal - dlnow) / rate) : 0;
	int width = 30;
	int done = (int)((pr->offset + dlnow) * width / (pr->offset + dltotal));
	fprintf(stderr, "\r%-24.24s [%.*s%*s] %3d%% %8lld kB %7.1f kB/s ETA %02lld:%02lld ",
		pr->name, done, "##############################", width - done, "",
		(int)((pr->offset + dlnow) * 100 / (pr->offset + dltotal)),
		(long long)(pr->offset + dlnow) / 1024, rate / 1024, left / 60, left % 60);
	return 0;
}

static long env_long(const char *name, long def)
{
	const char *v = getenv(name);
	return v && *v ? strtol(v, NULL, 10) : def;
}

/* One transfer of url into part (appending from its current size).
 * Returns 0 on success, 1 on a transient error, 2 on a permanent one. */
static int fetch(const char *url, const char *part, const char *name)
{
	struct stat st;
	curl_off_t have = stat(part, &st) == 0 ? st.st_size : 0;
	FILE *f = fopen(part, have ? "ab" : "wb");
	if (!f) {
		fprintf(stderr, "%s: %s\n", part, strerror(errno));
		return 2;
	}
	CURL *c = curl_easy_init();
	if (!c) {
		fclose(f);
		return 2;
	}
	char err[CURL_ERROR_SIZE] = "";
	struct progress pr = { name, isatty(2), 0, have, { 0, 0 } };
	clock_gettime(CLOCK_MONOTONIC, &pr.start);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, f);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 10L);
	curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "tinyroot-download/1.0");
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, err);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, env_long("TR_DL_CONNECT_TIMEOUT", 15));
	/* a stalled server is abandoned after LOW_SPEED_TIME seconds below 1 B/s */
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, env_long("TR_DL_LOW_SPEED_TIME", 30));
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(c, CURLOPT_XFERINFODATA, &pr);
	if (have)
		curl_easy_setopt(c, CURLOPT_RESUME_FROM_LARGE, have);
	CURLcode rc = curl_easy_perform(c);
	long status = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(c);
	if (fclose(f) != 0 && rc == CURLE_OK)
		rc = CURLE_WRITE_ERROR;
	if (pr.tty && pr.last)
		fputc('\n', stderr);
	if (rc == CURLE_OK)
		return 0;
	if (status)
		fprintf(stderr, "%s: %s (curl error %d, HTTP status %ld)\n", url,
			err[0] ? err : curl_easy_strerror(rc), rc, status);
	else
		fprintf(stderr, "%s: %s (curl error %d)\n", url, err[0] ? err : curl_easy_strerror(rc), rc);
	if (rc == CURLE_RANGE_ERROR || rc == CURLE_BAD_DOWNLOAD_RESUME) {
		/* the server cannot resume: start over */
		unlink(part);
		return 1;
	}
	switch (rc) {
	case CURLE_HTTP_RETURNED_ERROR:
		if (status >= 500 || status == 408 || status == 429)
			return 1;
		unlink(part);
		return 2;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_URL_MALFORMAT:
	case CURLE_FILE_COULDNT_READ_FILE:
	case CURLE_REMOTE_FILE_NOT_FOUND:
	case CURLE_PEER_FAILED_VERIFICATION:
		unlink(part);
		return 2;
	default:
		return 1;
	}
}

int cmd_download(int argc, char **argv)
{
	const char *dl_dir = NULL, *name = NULL;
	const char *urls[MAX_URLS];
	int is_site[MAX_URLS];
	int nurls = 0, no_hash = 0;
	struct hash_list hashes = { 0 };
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--no-hash")) {
			no_hash = 1;
			continue;
		}
		if (!v) {
			fprintf(stderr, "download: %s needs a value\n", a);
			hash_list_free(&hashes);
			return 2;
		}
		i++;
		if (!strcmp(a, "--dl-dir"))
			dl_dir = v;
		else if (!strcmp(a, "--file"))
			name = v;
		else if (!strcmp(a, "--hash-file")) {
			if (hash_list_load(&hashes, v)) {
				hash_list_free(&hashes);
				return 2;
			}
		} else if (!strcmp(a, "--site") || !strcmp(a, "--url")) {
			if (nurls == MAX_URLS) {
				fprintf(stderr, "download: too many sites\n");
				hash_list_free(&hashes);
				return 2;
			}
			is_site[nurls] = a[2] == 's';
			urls[nurls++] = v;
		} else {
			fprintf(stderr, "download: unknown option %s\n", a);
			hash_list_free(&hashes);
			return 2;
		}
	}
	if (!dl_dir || !name || strchr(name, '/')) {
		fprintf(stderr, "download: --dl-dir and --file NAME (no '/') are required\n");
		hash_list_free(&hashes);
		return 2;
	}
	if (mkdir_p(dl_dir)) {
		hash_list_free(&hashes);
		return 2;
	}
	char final[4096], part[4096], lock[4096];
	snprintf(final, sizeof(final), "%s/%s", dl_dir, name);
	snprintf(part, sizeof(part), "%s/.%s.part", dl_dir, name);
	snprintf(lock, sizeof(lock), "%s/.%s.lock", dl_dir, name);
	int lfd = open(lock, O_CREAT | O_RDWR | O_CLOEXEC, 0644);
	if (lfd < 0 || flock(lfd, LOCK_EX)) {
		fprintf(stderr, "%s: cannot lock: %s\n", lock, strerror(errno));
		hash_list_free(&hashes);
		return 2;
	}
	int rc = 1;
	if (access(final, F_OK) == 0) {
		int v = no_hash ? 0 : hash_verify(&hashes, final, name);
		if (v == 0) {
			rc = 0;
			goto out;
		}
		fprintf(stderr, "%s: cached file fails verification, removing it\n", final);
		unlink(final);
		if (v == 2)
			goto out;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	for (int u = 0; u < nurls && rc; u++) {
		char url[4096];
		if (is_site[u])
			snprintf(url, sizeof(url), "%s%s%s", urls[u],
				 urls[u][strlen(urls[u]) - 1] == '/' ? "" : "/", name);
		else
			snprintf(url, sizeof(url), "%s", urls[u]);
		if (!isatty(2))
			fprintf(stderr, ">>> Downloading %s\n", url);
		int r = 1;
		for (int attempt = 0; attempt < ATTEMPTS && r == 1; attempt++) {
			if (attempt) {
				unsigned wait = 1u << (attempt - 1);
				fprintf(stderr, "retrying %s in %u s (attempt %d of %d)\n", url, wait,
					attempt + 1, ATTEMPTS);
				sleep(wait);
			}
			r = fetch(url, part, name);
		}
		if (r != 0) {
			unlink(part);
			if (u + 1 < nurls)
				fprintf(stderr, "trying the next site\n");
			continue;
		}
		int v = no_hash ? 0 : hash_verify(&hashes, part, name);
		if (v != 0) {
			unlink(part);
			if (v == 2) /* no usable hash: no site can do better */
				break;
			if (u + 1 < nurls)
				fprintf(stderr, "trying the next site\n");
			continue;
		}
		if (rename(part, final)) {
			fprintf(stderr, "%s: %s\n", final, strerror(errno));
			unlink(part);
			break;
		}
		rc = 0;
	}
	curl_global_cleanup();
	if (rc)
		fprintf(stderr, "ERROR: %s could not be downloaded from any site\n", name);
out:
	unlink(part);
	close(lfd);
	hash_list_free(&hashes);
	return rc;
}

int cmd_verify(int argc, char **argv)
{
	struct hash_list hashes = { 0 };
	const char *file = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--hash-file") && i + 1 < argc) {
			if (hash_list_load(&hashes, argv[++i])) {
				hash_list_free(&hashes);
				return 2;
			}
		} else if (argv[i][0] != '-' && !file) {
			file = argv[i];
		} else {
			fprintf(stderr, "verify: unknown argument %s\n", argv[i]);
			hash_list_free(&hashes);
			return 2;
		}
	}
	if (!file) {
		fprintf(stderr, "usage: verify --hash-file F... FILE\n");
		return 2;
	}
	const char *base = strrchr(file, '/');
	int v = hash_verify(&hashes, file, base ? base + 1 : file);
	hash_list_free(&hashes);
	return v == 0 ? 0 : 1;
}
