/*
 * What kind of slow a slow stretch of this machine is: the same arithmetic loop and the same
 * dependent loads, timed again and again, so that a change in the host's speed can be told
 * apart by where it shows (the cores, or the caches shared with other tenants).
 *
 * Each line: a time stamp (seconds mod 100,000), then
 *   alu   ns per step of a 64-bit multiply-add chain (the core's own speed),
 *   l2    ns per load chasing a random cycle through 512 KiB (fits the core's L2),
 *   8MB   ns per load through 8 MiB (fits an idle 32 MiB L3; DRAM's latency when the L3 is
 *         taken by other work),
 *   dram  ns per load through 256 MiB (always memory).
 *
 * Build and run (no dependency but a C compiler; not part of the tests):
 *   cc -O2 -o target/memprobe bench/memprobe.c && target/memprobe 8
 *
 * `target/memprobe thrash MIB` instead writes a byte of a random line of a buffer of MIB MiB (a
 * power of two), over and over, until killed: a neighbour that takes the L3 away, to price the engines' sensitivity
 * to it (run it on the core the search does not use).
 * docs/performance.md (session 32) alternates it with `cargo bench -p undex-index --bench
 * scale_search` to relate the search's speed to the 8 MiB figure.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* xorshift64: the shuffle's random numbers, the same on every run. */
static uint64_t next(uint64_t *s) {
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* A random cycle through `n` slots: a[i] is the slot visited after slot i. */
static size_t *cycle(size_t n) {
    size_t *a = malloc(n * sizeof *a), *order = malloc(n * sizeof *order);
    if (!a || !order) {
        fprintf(stderr, "memprobe: out of memory\n");
        exit(1);
    }
    uint64_t seed = 88172645463325252ULL;
    for (size_t i = 0; i < n; i++) order[i] = i;
    for (size_t i = n - 1; i > 0; i--) {
        size_t j = (size_t)(next(&seed) % (i + 1)), t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    for (size_t i = 0; i < n; i++) a[order[i]] = order[(i + 1) % n];
    free(order);
    return a;
}

/* ns per load over `loads` dependent loads through `a`. */
static double chase(const size_t *a, long loads) {
    size_t x = 0;
    double t = now();
    for (long i = 0; i < loads; i++) x = a[x];
    double ns = (now() - t) / (double)loads * 1e9;
    if (x == (size_t)-1) puts(""); /* keeps the chain */
    return ns;
}

/* Writes one byte of a random line of a `mib` MiB buffer (a power of two), over and over,
 * until killed. */
static void thrash(size_t mib) {
    size_t len = mib << 20;
    volatile unsigned char *b = malloc(len);
    if (!b) {
        fprintf(stderr, "memprobe: out of memory\n");
        exit(1);
    }
    for (size_t i = 0; i < len; i += 4096) b[i] = 0;
    uint64_t seed = 88172645463325252ULL;
    for (;;) b[next(&seed) & (len - 1) & ~(size_t)63]++;
}

static int usage(void) {
    fprintf(stderr, "usage: memprobe [ROUNDS]   (default 8)\n"
                    "       memprobe thrash MIB  (MIB a power of two)\n");
    return 2;
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "thrash") == 0) {
        long mib = argc == 3 ? atol(argv[2]) : 0;
        if (mib < 1 || (mib & (mib - 1)) != 0) return usage();
        thrash((size_t)mib);
    }
    int rounds = argc > 1 ? atoi(argv[1]) : 8;
    if (argc > 2 || rounds < 1) return usage();
    size_t *l2 = cycle((512u << 10) / sizeof(size_t));
    size_t *l3 = cycle((8u << 20) / sizeof(size_t));
    size_t *dram = cycle((256u << 20) / sizeof(size_t));
    for (int r = 0; r < rounds; r++) {
        const long steps = 100000000;
        uint64_t y = 1;
        double t = now();
        for (long i = 0; i < steps; i++) y = y * 6364136223846793005ULL + 1442695040888963407ULL;
        double alu = (now() - t) / (double)steps * 1e9;
        if (y == 42) puts("");
        printf("%ld alu %.3f ns  l2 %.1f  8MB %.1f  dram %.1f ns\n", (long)time(NULL) % 100000, alu,
               chase(l2, 20000000), chase(l3, 10000000), chase(dram, 3000000));
        fflush(stdout);
    }
    return 0;
}
