/* A control for the two-job speed-up in bench/run.sh: how much two threads of pure integer work (no allocation, no
 * shared data, no memory traffic beyond registers) gain over one on this machine, i.e. what the cores allow before any
 * garbage collection, lock or shared cache of ours. README "Explorer targets" quotes it.
 * Build and run (needs a C compiler; not part of the bench or CI): cc -O2 -pthread bench/parallel-control.c -o /tmp/pc && /tmp/pc */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

static const long Steps = 400000000;

/* xorshift64: a dependent chain of shifts and xors, CPU-bound */
static void *work(void *seed)
{
    uint64_t x = (uintptr_t)seed + 1, sum = 0;
    for (long i = 0; i < Steps; i++) { x ^= x << 13; x ^= x >> 7; x ^= x << 17; sum += x; }
    return (void *)(uintptr_t)sum;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(void)
{
    volatile uintptr_t sink; /* keeps the serial calls from being optimised away */
    double start = now();
    sink = (uintptr_t)work((void *)0);
    sink += (uintptr_t)work((void *)1);
    double serial = now() - start;
    pthread_t t[2];
    start = now();
    pthread_create(&t[0], 0, work, (void *)0);
    pthread_create(&t[1], 0, work, (void *)1);
    pthread_join(t[0], 0);
    pthread_join(t[1], 0);
    double parallel = now() - start;
    printf("2 units of work: one thread %.3f s, two threads %.3f s, speed-up %.2fx\n", serial, parallel, serial / parallel);
    return 0;
}
