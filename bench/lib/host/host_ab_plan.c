// SPDX-License-Identifier: GPL-2.0
/*
 * host-ab's plan: the steps, their states, the plan on disk (JSON), and
 * what a boot does next.  No system calls beyond the plan's file: the
 * state machine is tested on its own (tests/unit/test_host_ab.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "host_ab_plan.h"
#include "util.h"

#define PLAN_FORMAT 1

static const char *const step_names[] = {
	"pending", "booting", "running", "done", "failed",
};
static const char *const plan_names[] = {
	"active", "returning", "stopped", "finished",
};

const char *ib_step_state_name(enum ib_step_state s)
{
	return (unsigned int)s < sizeof(step_names) / sizeof(*step_names) ?
	       step_names[s] : "?";
}

const char *ib_plan_state_name(enum ib_plan_state s)
{
	return (unsigned int)s < sizeof(plan_names) / sizeof(*plan_names) ?
	       plan_names[s] : "?";
}

static const char *const boot_by_names[] = {
	"kexec", "reboot", "auto",
};

const char *ib_boot_by_name(enum ib_boot_by b)
{
	return (unsigned int)b < sizeof(boot_by_names) / sizeof(*boot_by_names) ?
	       boot_by_names[b] : "?";
}

static char **words_dup(char *const *w)
{
	char **v;
	int n = 0, i;

	while (w && w[n])
		n++;
	v = ib_xcalloc(n + 1, sizeof(*v));
	for (i = 0; i < n; i++)
		v[i] = ib_xstrdup(w[i]);
	return v;
}

struct ib_plan *ib_plan_create(char *const *kernels, int rounds)
{
	struct ib_plan *p = ib_xcalloc(1, sizeof(*p));
	int nk = 0, r, k;

	while (kernels[nk])
		nk++;
	p->kernels = words_dup(kernels);
	p->steps = ib_xcalloc((size_t)nk * rounds, sizeof(*p->steps));
	for (r = 0; r < rounds; r++)
		for (k = 0; k < nk; k++) {
			struct ib_plan_step *s = &p->steps[p->nsteps++];

			s->kernel = ib_xstrdup(kernels[k]);
			s->boot = r + 1;
		}
	return p;
}

void ib_plan_free(struct ib_plan *p)
{
	int i;

	if (!p)
		return;
	for (i = 0; i < p->nsteps; i++) {
		free(p->steps[i].kernel);
		free(p->steps[i].why);
	}
	free(p->steps);
	free(p->why);
	free(p->origin);
	free(p->out);
	free(p->boot_dir);
	free(p->acting_boot);
	ib_free_words(p->kernels);
	ib_free_words(p->run_args);
	free(p);
}

static json_object *words_json(char **w)
{
	json_object *a = json_object_new_array();

	for (; w && *w; w++)
		json_object_array_add(a, json_object_new_string(*w));
	return a;
}

static void add_str(json_object *o, const char *key, const char *v)
{
	if (v)
		json_object_object_add(o, key, json_object_new_string(v));
}

int ib_plan_save(const struct ib_plan *p, const char *path)
{
	json_object *o = json_object_new_object(), *steps = json_object_new_array();
	struct ib_afile *af;
	char *dir;
	int i, ret, fd;

	json_object_object_add(o, "format", json_object_new_int(PLAN_FORMAT));
	add_str(o, "state", plan_names[p->state]);
	add_str(o, "why", p->why);
	add_str(o, "origin", p->origin);
	add_str(o, "out", p->out);
	add_str(o, "boot_dir", p->boot_dir);
	add_str(o, "acting_boot", p->acting_boot);
	json_object_object_add(o, "systemd", json_object_new_boolean(p->systemd));
	json_object_object_add(o, "step_timeout", json_object_new_int(p->step_timeout));
	add_str(o, "boot_by", boot_by_names[p->boot_by]);
	json_object_object_add(o, "homeward", json_object_new_boolean(p->homeward));
	json_object_object_add(o, "kernels", words_json(p->kernels));
	json_object_object_add(o, "run_args", words_json(p->run_args));
	for (i = 0; i < p->nsteps; i++) {
		json_object *s = json_object_new_object();

		add_str(s, "kernel", p->steps[i].kernel);
		json_object_object_add(s, "boot", json_object_new_int(p->steps[i].boot));
		add_str(s, "state", step_names[p->steps[i].state]);
		add_str(s, "why", p->steps[i].why);
		json_object_array_add(steps, s);
	}
	json_object_object_add(o, "steps", steps);
	af = ib_afile_open(path);
	if (!af) {
		ret = -errno;
		json_object_put(o);
		return ret;
	}
	fprintf(ib_afile_stream(af), "%s\n",
		json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY));
	json_object_put(o);
	ret = ib_afile_commit(af);
	if (ret)
		return ret;
	/* the rename itself must reach the disk before a kexec */
	dir = ib_xstrdup(path);
	fd = open(dirname(dir), O_RDONLY | O_DIRECTORY);
	free(dir);
	if (fd < 0 || fsync(fd))
		ret = -errno;
	if (fd >= 0)
		close(fd);
	return ret;
}

static const char *get_str(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) &&
	       json_object_is_type(v, json_type_string) ?
	       json_object_get_string(v) : NULL;
}

static char *dup_or_null(const char *s)
{
	return s ? ib_xstrdup(s) : NULL;
}

static int name_index(const char *const *names, int n, const char *v)
{
	int i;

	for (i = 0; v && i < n; i++)
		if (!strcmp(names[i], v))
			return i;
	return -1;
}

int ib_boot_by_find(const char *name)
{
	int i = name_index(boot_by_names, 3, name);

	return i < 0 ? -EINVAL : i;
}

static char **json_words(json_object *o, const char *key)
{
	json_object *a, *e;
	char **w;
	size_t i, n;

	if (!json_object_object_get_ex(o, key, &a) ||
	    !json_object_is_type(a, json_type_array))
		return NULL;
	n = json_object_array_length(a);
	w = ib_xcalloc(n + 1, sizeof(*w));
	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(a, i);
		if (!json_object_is_type(e, json_type_string)) {
			ib_free_words(w);
			return NULL;
		}
		w[i] = ib_xstrdup(json_object_get_string(e));
	}
	return w;
}

static int load_steps(struct ib_plan *p, json_object *o)
{
	json_object *a, *s, *v;
	size_t i, n;
	int st;

	if (!json_object_object_get_ex(o, "steps", &a) ||
	    !json_object_is_type(a, json_type_array))
		return -EINVAL;
	n = json_object_array_length(a);
	p->steps = ib_xcalloc(n + 1, sizeof(*p->steps));
	for (i = 0; i < n; i++, p->nsteps++) {
		struct ib_plan_step *ps = &p->steps[i];

		s = json_object_array_get_idx(a, i);
		st = name_index(step_names, 5, get_str(s, "state"));
		if (!json_object_is_type(s, json_type_object) || !get_str(s, "kernel") ||
		    st < 0 || !json_object_object_get_ex(s, "boot", &v) ||
		    !json_object_is_type(v, json_type_int))
			return -EINVAL;
		ps->kernel = ib_xstrdup(get_str(s, "kernel"));
		ps->boot = json_object_get_int(v);
		ps->state = st;
		ps->why = dup_or_null(get_str(s, "why"));
	}
	return n ? 0 : -EINVAL;
}

int ib_plan_load(const char *path, struct ib_plan **plan)
{
	json_object *o = json_object_from_file(path), *v;
	struct ib_plan *p;
	int st, ret;

	*plan = NULL;
	if (!o)
		return access(path, R_OK) ? -errno : -EINVAL;
	p = ib_xcalloc(1, sizeof(*p));
	st = name_index(plan_names, 4, get_str(o, "state"));
	ret = -EINVAL;
	if (!json_object_object_get_ex(o, "format", &v) ||
	    json_object_get_int(v) != PLAN_FORMAT || st < 0)
		goto out;
	p->state = st;
	p->why = dup_or_null(get_str(o, "why"));
	p->origin = dup_or_null(get_str(o, "origin"));
	p->out = dup_or_null(get_str(o, "out"));
	p->boot_dir = dup_or_null(get_str(o, "boot_dir"));
	p->acting_boot = dup_or_null(get_str(o, "acting_boot"));
	p->systemd = json_object_object_get_ex(o, "systemd", &v) &&
		     json_object_get_boolean(v);
	p->homeward = json_object_object_get_ex(o, "homeward", &v) &&
		      json_object_get_boolean(v);
	/* absent (a plan of an older host-ab): no limit, as it had */
	if (json_object_object_get_ex(o, "step_timeout", &v))
		p->step_timeout = json_object_get_int(v);
	if (p->step_timeout && (p->step_timeout < IB_HOST_AB_STEP_TIMEOUT_MIN ||
				p->step_timeout > IB_HOST_AB_STEP_TIMEOUT_MAX))
		goto out;
	/* absent (an older host-ab's): kexec, as it had */
	st = get_str(o, "boot_by") ? ib_boot_by_find(get_str(o, "boot_by")) : IB_BOOT_KEXEC;
	if (st < 0)
		goto out;
	p->boot_by = st;
	p->kernels = json_words(o, "kernels");
	p->run_args = json_words(o, "run_args");
	if (!p->origin || !p->out || !p->boot_dir || !p->kernels || !p->run_args)
		goto out;
	ret = load_steps(p, o);
out:
	json_object_put(o);
	if (ret)
		ib_plan_free(p);
	else
		*plan = p;
	return ret;
}

static void fail(struct ib_plan_step *s, char *why)
{
	s->state = IB_STEP_FAILED;
	free(s->why);
	s->why = why;
}

/* This boot is the one acting on a step now. */
static void mark(struct ib_plan *p)
{
	free(p->acting_boot);
	p->acting_boot = p->this_boot ? ib_xstrdup(p->this_boot) : NULL;
}

/* A kernel whose last two settled boots failed, or NULL. */
static const char *failing_kernel(const struct ib_plan *p)
{
	char **k;
	int i, fails;

	for (k = p->kernels; *k; k++) {
		fails = 0;
		for (i = 0; i < p->nsteps; i++) {
			const struct ib_plan_step *s = &p->steps[i];

			if (strcmp(s->kernel, *k))
				continue;
			if (s->state == IB_STEP_FAILED)
				fails++;
			else if (s->state == IB_STEP_DONE)
				fails = 0;
		}
		if (fails >= 2)
			return *k;
	}
	return NULL;
}

enum ib_plan_action ib_plan_next(struct ib_plan *p, const char *current,
				 struct ib_plan_step **step, const char **kernel)
{
	const char *bad;
	int i;

	*step = NULL;
	*kernel = NULL;
	if (p->state == IB_PLAN_FINISHED)
		return IB_ACT_NONE;
	for (i = 0; i < p->nsteps; i++)
		if ((p->steps[i].state == IB_STEP_RUNNING || p->steps[i].state == IB_STEP_BOOTING) &&
		    p->this_boot && p->acting_boot && !strcmp(p->this_boot, p->acting_boot))
			return IB_ACT_NONE;
	for (i = 0; i < p->nsteps; i++) {
		struct ib_plan_step *s = &p->steps[i];

		if (s->state == IB_STEP_RUNNING)
			fail(s, ib_xasprintf("the boot ended during its run (a crash, a hang or a power loss); this boot is %s",
					     current));
		else if (s->state == IB_STEP_BOOTING && !strcmp(s->kernel, current) &&
			 p->state == IB_PLAN_ACTIVE) {
			s->state = IB_STEP_RUNNING;
			mark(p);
			*step = s;
			return IB_ACT_RUN;
		} else if (s->state == IB_STEP_BOOTING)
			fail(s, ib_xasprintf("this boot is %s, not %s: the kexec or the boot failed",
					     current, s->kernel));
	}
	bad = failing_kernel(p);
	if (p->state == IB_PLAN_ACTIVE && bad) {
		p->state = IB_PLAN_STOPPED;
		free(p->why);
		p->why = ib_xasprintf("the last two boots of %s failed", bad);
	}
	for (i = 0; p->state == IB_PLAN_ACTIVE && i < p->nsteps; i++)
		if (p->steps[i].state == IB_STEP_PENDING) {
			p->steps[i].state = IB_STEP_BOOTING;
			mark(p);
			*kernel = p->steps[i].kernel;
			return IB_ACT_KEXEC;
		}
	if (p->state == IB_PLAN_ACTIVE)
		p->state = IB_PLAN_RETURNING;
	if (strcmp(current, p->origin) && !p->homeward) {
		p->homeward = 1;
		*kernel = p->origin;
		return IB_ACT_KEXEC;
	}
	/* at home, or the way home failed: what there is, is compared */
	return p->state == IB_PLAN_STOPPED ? IB_ACT_HOME_STOPPED : IB_ACT_COMPARE;
}
