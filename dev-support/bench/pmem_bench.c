/*
 * The C side of dev-support/bin/bench-pmem: the same loops as DurableWriteBench.java, on the
 * same kind of file, straight against libpmem. Prints "name value" lines the script tabulates.
 *   pmem_bench FILE SIZE_BYTES PASSES LATENCY_OPS
 */
#include <libpmem.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Sequential passes over the region in 1 MiB copies; returns the best pass in MB/s. */
static double throughput(char *base, size_t size, const char *src, int passes, int durable) {
  const size_t chunk = 1 << 20;
  double best = 0;
  for (int p = 0; p < passes; p++) {
    double start = now_ns();
    for (size_t off = 0; off + chunk <= size; off += chunk) {
      if (durable) {
        pmem_memcpy_persist(base + off, src, chunk);
      } else {
        memcpy(base + off, src, chunk);
      }
    }
    double mbs = (double)size / 1e6 / ((now_ns() - start) / 1e9);
    if (p > 0 && mbs > best) { /* pass 0 warms the mapping */
      best = mbs;
    }
  }
  return best;
}

static void latency(char *base, size_t size, const char *src, size_t len, int ops,
    const char *name) {
  double *t = malloc(sizeof(double) * (size_t)ops);
  size_t off = 0;
  for (int i = 0; i < ops; i++) {
    if (off + len > size) {
      off = 0;
    }
    double start = now_ns();
    pmem_memcpy_persist(base + off, src, len);
    t[i] = now_ns() - start;
    off += len;
  }
  qsort(t, (size_t)ops, sizeof(double), cmp_double);
  printf("%s_p50_ns %.0f\n%s_p99_ns %.0f\n", name, t[ops / 2], name, t[(size_t)ops * 99 / 100]);
  free(t);
}

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: %s FILE SIZE_BYTES PASSES LATENCY_OPS\n", argv[0]);
    return 2;
  }
  size_t size = strtoull(argv[2], NULL, 10);
  int passes = atoi(argv[3]);
  int ops = atoi(argv[4]);
  size_t mapped;
  int is_pmem;
  char *base = pmem_map_file(argv[1], size, PMEM_FILE_CREATE, 0600, &mapped, &is_pmem);
  if (base == NULL) {
    fprintf(stderr, "pmem_map_file %s: %s\n", argv[1], pmem_errormsg());
    return 1;
  }
  char *src = malloc(1 << 20);
  for (int i = 0; i < (1 << 20); i++) {
    src[i] = (char)(i * 31 + 7);
  }
  printf("is_pmem %d\n", is_pmem);
  printf("c_durable_write_mbs %.0f\n", throughput(base, mapped, src, passes, 1));
  printf("c_memcpy_mbs %.0f\n", throughput(base, mapped, src, passes, 0));
  latency(base, mapped, src, 64, ops, "c_write64");
  latency(base, mapped, src, 4096, ops, "c_write4k");
  pmem_unmap(base, mapped);
  free(src);
  return 0;
}
