/* SPDX-License-Identifier: GPL-2.0 */
/* State of one "iommu-bench run", shared by the files that carry it out. */
#ifndef IB_RUN_STATE_H
#define IB_RUN_STATE_H

#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>

#include "account.h"
#include "kmod_ctl.h"
#include "probe_cost.h"

struct tep_handle;
struct ib_tracing;
struct ib_probeset;
struct ib_decoder;

/* --until-ci: where the run stands against its target */
struct ib_adaptive {
	double median_us;
	double lo_us, hi_us;		/* the CI at the level below */
	double level;			/* its confidence, looks accounted */
	double reach_pct;		/* its farther side from the median, % */
	size_t n;			/* releases it was computed on */
	unsigned int looks;		/* CI checks made so far */
	uint32_t cycles;		/* of each batch, at the last look */
	unsigned int max_looks;		/* checks the caps allow at most */
	const char *stopped_by;		/* "ci", "cycles", "time" */
};

struct ib_run_opts {
	struct iommu_bench_dev devs[IOMMU_BENCH_MAX_DEVICES];
	char names[IOMMU_BENCH_MAX_DEVICES][IB_DEV_LEN];
	uint32_t ndevs;
	uint32_t cycles;
	uint32_t mode;
	const char *mode_name;
	const struct ib_mode_info *mi;
	struct iommu_bench_dev owner;
	char owner_name[IB_DEV_LEN];
	const char *probes_dir;
	const char *out;
	const char *label;
	const char *control;
	const char *clock;
	int icount_shift;		/* the lab's clock counts instructions,
					 * 2^shift ns each; -1: it is time */
	const char *tracefs;
	uint32_t boot;
	size_t buffer_kb;
	int no_trace;
	int no_trace_dat;
	/* each chunk of cycles runs once per entry, in this order: with
	 * every probe (counts), with the release span's ends only (its
	 * latency), the core function's ends only, nothing (enum ib_probes) */
	int32_t plan[IB_PROBES_NR];
	int nplan;
	int probe_cost;			/* measure one probe hit's cost */
	uint32_t chunks;		/* the -n cycles in this many rounds */
	int quiet;
	double until_ci;		/* target CI half-width, % of median; 0 off */
	uint32_t max_cycles;		/* cap with until_ci */
	uint32_t max_seconds;
};

struct ib_run_state {
	struct ib_run_opts *o;
	char *partial;
	int fd;
	struct ib_tracing *tr;
	struct ib_probeset *ps;
	struct tep_handle *tep;
	struct ib_decoder *dec;
	struct ib_event *ev;
	size_t nev, cap;
	struct iommu_bench_timing *timings;
	/* each device's (and last, the owner's) "DRIVER GROUP" at the start */
	char dev_was[IOMMU_BENCH_MAX_DEVICES + 1][160];
	uint32_t cycles_done;
	uint32_t cycles_cap;		/* entries of timings per device */
	int8_t *probes;			/* per cycle: enum ib_probes it ran with */
	struct ib_probe_cost cost;	/* probe_cost: one hit, measured */
	struct ib_adaptive adaptive;
	double read_ms;			/* collector's own cost: trace read */
	double account_ms;		/* ... and accounting */
	/* where the run's time went, in ms: setup (instance, probes,
	 * formats), the cycles, probe cost, trace.dat */
	double setup_ms, drive_ms, cost_ms, tracedat_ms;
	json_object *meta;
	char *pages;			/* raw per-CPU pages for trace.dat */
	char *ksyms;			/* ... the probed symbols' kallsyms lines */
	char *tracedat_note;		/* why there is no trace.dat */
	/* ib_interrupt_events this kernel has, enabled in every batch */
	char *irq[32];
	int nirq;
	char error[1024];
};

/* run_opts.c: 0, or -EINVAL with the reason printed */
int ib_run_parse_opts(struct ib_run_opts *o, int argc, char **argv);
/* @probes (enum ib_probes) is one of the run's batches */
int ib_run_plan_has(const struct ib_run_opts *o, int32_t probes);

/* run_drive.c */
void ib_run_catch_signals(void);
/* The SIGINT, SIGTERM or SIGHUP caught since, or 0. */
int ib_run_stop_signal(void);
/* the module checks every device before anything is armed: 0, or
 * IB_EXIT_REFUSED (3) with the reason printed */
int ib_run_check_with_module(struct ib_run_state *s);
/* every batch of cycles; 0 or -errno with s->error set */
int ib_run_drive(struct ib_run_state *s);

/* run_result.c */
json_object *ib_run_opts_json(const struct ib_run_opts *o);
/* clock_unit and icount_shift into @meta */
void ib_run_clock_json(json_object *meta, const struct ib_run_opts *o);
/* meta.json, cycles.csv, summary.json; OUT.partial renamed: 0 or -errno */
int ib_run_write_result(struct ib_run_state *s, struct ib_account *acc, int ret);

/* run_collect.c */
int ib_run_tep_setup(struct ib_run_state *s);
int ib_run_drain(struct ib_run_state *s);
struct ib_account *ib_run_account(struct ib_run_state *s);

/* run_tracedat.c: the run's trace.dat, made with trace-cmd restore */
int ib_run_tracedat_begin(struct ib_run_state *s);
int ib_run_tracedat_end(struct ib_run_state *s);
json_object *ib_run_tracedat_json(const struct ib_run_state *s);

/* run_adaptive.c: 1 when the target is reached, with s->adaptive set */
int ib_run_ci_reached(struct ib_run_state *s);
/* cycles of the next chunk past @c cycles */
uint32_t ib_run_next_more(uint32_t c);

#endif
