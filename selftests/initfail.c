// SPDX-License-Identifier: GPL-2.0
/*
 * initfail: make every memory allocation of loading physwin fail in turn,
 * and prove that each failed load leaves nothing behind and never handed
 * out a descriptor that outlived it.
 *
 *   initfail MODULE PARAMS NODE
 *
 * For N = 1, 2, ... the N-th fault-injection point of finit_module() fails
 * (/proc/thread-self/fail-nth, with failslab filtered to the kmalloc
 * caches, which the kernel marks when booted with slub_debug=A,kmalloc-*:
 * kmemleak's own caches must never fail, or it turns itself off), until
 * a load goes through with nothing injected: then every allocation of the
 * load, the module loader's and physwin's own, has failed once.  After
 * each failed load, /proc/iomem, /dev and /sys/module must hold nothing of
 * physwin.  Meanwhile a second process opens /dev/physwin and NODE in a
 * loop: an open that succeeds while a load is failing would leave a file
 * pointing into a module that is about to be freed.
 *
 * Needs CONFIG_FAULT_INJECTION and CONFIG_FAILSLAB (the debug kernel of
 * make check-debug); elsewhere it skips the whole step, with the reason.
 * Prints TAP.  The sweep is framed in the kernel log by two lines,
 * "physwin-initfail: injecting" and "physwin-initfail: done": between
 * them the kernel's own allocation-failure reports (warn_alloc) are
 * expected, and scripts/kcheck.sh excuses those and nothing else.
 */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_POINTS	20000

struct shared {
	volatile int attempt;		/* the load under way */
	volatile int stop;
	volatile unsigned long opens;	/* opens that succeeded */
	volatile unsigned char opened[MAX_POINTS + 2];
};

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* Whether the kmalloc caches are marked for failslab (slub_debug=A). */
static bool failslab_kmalloc(void)
{
	char buf[8] = "";
	int fd = open("/sys/kernel/slab/kmalloc-64/failslab", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	if (fd >= 0)
		close(fd);
	return n > 0 && buf[0] == '1';
}

/* What a failed load left behind, or NULL. */
static const char *leftover(void)
{
	static char why[512];
	char line[256];
	glob_t g;
	FILE *f;

	f = fopen("/proc/iomem", "re");
	while (f && fgets(line, sizeof(line), f)) {
		if (strstr(line, "physwin")) {
			snprintf(why, sizeof(why), "/proc/iomem: %s", line);
			fclose(f);
			return why;
		}
	}
	if (f)
		fclose(f);
	if (!access("/sys/module/physwin", F_OK))
		return "/sys/module/physwin exists";
	if (!glob("/dev/physwin*", 0, NULL, &g)) {
		snprintf(why, sizeof(why), "%s exists", g.gl_pathv[0]);
		globfree(&g);
		return why;
	}
	if (!access("/sys/class/physwin", F_OK))
		return "/sys/class/physwin exists";
	return NULL;
}

static void opener(struct shared *sh, const char *node)
{
	const char *paths[] = { "/dev/physwin", node };
	unsigned int i = 0;

	while (!sh->stop) {
		int a = sh->attempt;
		int fd = open(paths[i++ & 1], O_RDWR | O_CLOEXEC);

		if (fd >= 0) {
			/* attribute it only if no load ended meanwhile */
			if (sh->attempt == a && a > 0 && a <= MAX_POINTS)
				sh->opened[a] = 1;
			sh->opens++;
			close(fd);
		}
	}
	_exit(0);
}

static int unload(void)
{
	int i;

	for (i = 0; i < 10000; i++) {
		if (!syscall(SYS_delete_module, "physwin", O_NONBLOCK))
			return 0;
		if (errno != EWOULDBLOCK && errno != EAGAIN && errno != EBUSY)
			return -1;
		usleep(1000);
	}
	return -1;
}

int main(int argc, char **argv)
{
	unsigned long failed_loads = 0, absorbed = 0;
	const char *left = NULL;
	int n, mod, nth, bad_open = 0, end = 0;
	struct shared *sh;
	char buf[32];
	pid_t pid;
	int st;

	if (argc != 4) {
		fprintf(stderr, "usage: initfail MODULE PARAMS NODE\n");
		return 2;
	}
	nth = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	if (nth < 0 || access("/sys/kernel/debug/failslab", F_OK)) {
		printf("1..0 # SKIP no fault injection in this kernel (CONFIG_FAULT_INJECTION, CONFIG_FAILSLAB)\n");
		return 0;
	}
	printf("1..3\n");
	fflush(stdout);
	mod = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (mod < 0 || !failslab_kmalloc()) {
		printf("Bail out! the kmalloc caches are not marked for failslab: boot with slub_debug=A,kmalloc-*\n");
		return 1;
	}
	if (write_file("/sys/kernel/debug/failslab/ignore-gfp-wait", "N") ||
	    write_file("/sys/kernel/debug/failslab/verbose", "0") ||
	    write_file("/sys/kernel/debug/failslab/cache-filter", "Y")) {
		printf("Bail out! cannot set up failslab: %s\n", strerror(errno));
		return 1;
	}

	write_file("/dev/kmsg", "physwin-initfail: injecting\n");
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		printf("Bail out! mmap: %s\n", strerror(errno));
		return 1;
	}
	pid = fork();
	if (pid < 0) {
		printf("Bail out! fork: %s\n", strerror(errno));
		return 1;
	}
	if (!pid)
		opener(sh, argv[3]);

	for (n = 1; n <= MAX_POINTS && !end; n++) {
		int ret, err, len;

		sh->attempt = n;
		len = snprintf(buf, sizeof(buf), "%d", n);
		if (pwrite(nth, buf, len, 0) != len) {
			printf("Bail out! fail-nth: %s\n", strerror(errno));
			return 1;
		}
		ret = syscall(SYS_finit_module, mod, argv[2], 0);
		err = errno;
		/* what is left of N: 0 once the N-th point failed */
		len = pread(nth, buf, sizeof(buf) - 1, 0);
		buf[len > 0 ? len : 0] = 0;
		pwrite(nth, "0", 1, 0);
		if (!ret) {
			if (atoi(buf))
				end = n;	/* nothing was injected */
			else
				absorbed++;	/* a failure handled in place */
			sh->attempt = 0;
			if (unload()) {
				printf("Bail out! rmmod after load %d: %s\n", n,
				       strerror(errno));
				return 1;
			}
			continue;
		}
		failed_loads++;
		sh->attempt = 0;
		if (sh->opened[n] && !bad_open) {
			bad_open = n;
			printf("# load %d failed (%s) after an open succeeded\n",
			       n, strerror(err));
		}
		if (!left) {
			left = leftover();
			if (left)
				printf("# load %d failed (%s) and left: %s\n", n,
				       strerror(err), left);
		}
	}
	sh->stop = 1;
	waitpid(pid, &st, 0);
	write_file("/sys/kernel/debug/failslab/cache-filter", "N");
	write_file("/sys/kernel/debug/failslab/ignore-gfp-wait", "Y");
	write_file("/dev/kmsg", "physwin-initfail: done\n");

	printf("%sok 1 initfail: the load went through once nothing failed (after %d injection points)\n",
	       end ? "" : "not ", end - 1);
	printf("%sok 2 initfail: %lu loads failed, one per allocation, and none left anything behind (%lu failures absorbed)\n",
	       !left && failed_loads ? "" : "not ", failed_loads, absorbed);
	printf("%sok 3 initfail: no open succeeded during a load that failed (%lu opens in all)\n",
	       bad_open ? "not " : "", sh->opens);
	return end && !left && failed_loads && !bad_open ? 0 : 1;
}
