#!/usr/bin/perl
# Hostile input from outside, generated: every meta.json field of every
# wrong type, every cycles.csv column missing, named twice or holding
# junk, trace.dat cut short or damaged, kallsyms that is no kallsyms,
# experiment and kernel-set files with a fault in each key.  Each goes
# through the CLI built with ASan and UBSan (build/san/iommu-bench), and
# must end in a clear error (exit 1 or 2 and "error:" naming the problem)
# or a clean success: never a signal, a sanitizer report, a hang, or a
# result left behind by a failure.  The named cases of the bad-input
# table (Documentation/safety.md) come first, each with what a user
# would check.
use strict;
use warnings;
use Cwd qw(getcwd);
use File::Basename qw(dirname);
use File::Copy qw(copy);
use File::Path qw(make_path remove_tree);
use File::Temp qw(tempdir);
use JSON::PP;

chdir(dirname($0) . '/../..') or die;
my $top = getcwd();
my $ib = -x 'build/san/iommu-bench' ? 'build/san/iommu-bench' : 'build/iommu-bench';
$ENV{IOMMU_BENCH_DATA} = $top;
# a huge allocation fails as malloc does (NULL), not as ASan's abort
$ENV{ASAN_OPTIONS} = 'allocator_may_return_null=1:detect_leaks=1';
$ENV{LSAN_OPTIONS} = "suppressions=$top/tests/fuzz/lsan.supp";
$ENV{UBSAN_OPTIONS} = 'halt_on_error=1:print_stacktrace=1';
my $ex = 'results/examples/make-run/default';
my $tmp = tempdir(CLEANUP => 1);
my ($n, $failed) = (0, 0);
my @tap;
my ($rc, $out, $err);

sub slurp { local $/; open(my $f, '<:raw', $_[0]) or return ''; my $t = <$f>; close $f; $t }
sub spit { open(my $f, '>:raw', $_[0]) or die "$_[0]: $!"; print $f $_[1]; close $f }
# the prototype gives each argument scalar context: a failed match is
# false, not an empty list that shifts the name into its place
sub ok($$;$) {
	my ($cond, $name, $why) = @_;
	$n++;
	push @tap, ($cond ? 'ok' : 'not ok') . " $n - $name";
	unless ($cond) {
		$failed++;
		push @tap, map { "#   $_" } split /\n/, ($why // "exit $rc\n$err");
	}
	return $cond;
}

# run ARGS: $rc, $out, $err; 124 for a hang, 128+N for signal N
sub run {
	my @a = @_;
	my $q = join ' ', map { my $s = $_; $s =~ s/'/'\\''/g; "'$s'" } @a;
	system("timeout 30 $ib $q >$tmp/o 2>$tmp/e");
	$rc = $? == -1 ? 255 : ($? & 127 ? 128 + ($? & 127) : $? >> 8);
	($out, $err) = (slurp("$tmp/o"), slurp("$tmp/e"));
}

# survived: no signal, no hang, no sanitizer report; a failure says error:
sub survived {
	# (ASan's "failed to allocate" warning is malloc's NULL, handled)
	return 0 if $rc >= 124 || $err =~ /ERROR: (Address|Leak)Sanitizer|runtime error/;
	return $rc == 0 || $err =~ /error: /;
}

# a run directory copied from the examples, for mutation
sub copy_run {
	my ($from, $to) = @_;
	remove_tree($to);
	make_path($to);
	copy("$from/$_", "$to/$_") or die for qw(meta.json cycles.csv);
	return $to;
}

sub jpath_set {
	my ($m, $path, $v, $delete) = @_;
	my @k = split /\./, $path;
	my $last = pop @k;
	for (@k) {
		return 0 unless ref $m eq 'HASH' && ref $m->{$_} eq 'HASH';
		$m = $m->{$_};
	}
	if ($delete) { delete $m->{$last} } else { $m->{$last} = $v }
	return 1;
}

my $json = JSON::PP->new->canonical;
my $A = "$ex/debian-6.1";
my $B = "$ex/debian-6.12";

### The named cases (Documentation/safety.md's table)

# meta.json boots that is no array: was a json-c assertion (SIGABRT)
my $r = copy_run($B, "$tmp/notarray");
my $m = $json->decode(slurp("$r/meta.json"));
$m->{boots} = { x => 1 };
spit("$r/meta.json", $json->encode($m));
run('compare', $A, $r);
ok($rc == 1 && $err =~ /boots is not an array of objects/, 'compare: meta.json boots not an array is named, exit 1');
run('merge', '-o', "$tmp/m1", $A, $r);
ok($rc == 1 && $err =~ /boots is not an array/ && !-e "$tmp/m1" && !-e "$tmp/m1.partial",
   'merge refuses it too, and leaves nothing');

# CRLF cycles.csv: reads as the same file, not as probe-free rows pooled
run('compare', $A, $B);
my $lf = $out;
$r = copy_run($B, "$tmp/crlf");
(my $t = slurp("$r/cycles.csv")) =~ s/\n/\r\n/g;
spit("$r/cycles.csv", $t);
run('compare', $A, $r);
(my $crlf = $out) =~ s/\Q$tmp\E\/crlf/$B/g;
ok($rc == 0 && $crlf eq $lf, 'compare: a CRLF cycles.csv gives the table of the LF file',
   "exit $rc\n$err");
run('merge', '-o', "$tmp/mcrlf", $r);
ok($rc == 0 && slurp("$tmp/mcrlf/cycles.csv") !~ /,none\n/ &&
   slurp("$tmp/mcrlf/cycles.csv") =~ /,release,/, 'merge keeps each row\'s probes of a CRLF file');

# no traced release: no 0.00 latency, no -100 %, no verdict
$r = copy_run($B, "$tmp/untraced");
my @rows = split /\n/, slurp("$r/cycles.csv");
my @h = split /,/, $rows[0];
my %keep = map { $_ => 1 } qw(boot device cycle ret phase1 phase2 phase1_ns phase2_ns);
for my $i (1 .. $#rows) {
	my @f = split /,/, $rows[$i];
	for my $c (0 .. $#h) {
		next if $keep{$h[$c]};
		$f[$c] = $h[$c] eq 'release_target' ? 'none' : $h[$c] eq 'probes' ? 'none' : 0;
	}
	$rows[$i] = join ',', @f;
}
spit("$r/cycles.csv", join("\n", @rows) . "\n");
run('compare', '-o', "$tmp/cu", $A, $r);
my ($rel) = $out =~ /^(release \(us\).*?)^\n/ms;
ok($rc == 0 && defined $rel && $rel !~ /0\.00/ && $out !~ /-100\.0/,
   'no traced release: no 0.00 latency and no -100 %', $out);
ok($out =~ /release  no verdict: \S+ has no timed release/ && $out !~ /release  no significant/,
   '... and no verdict on it, saying why', $out);
ok(slurp("$tmp/cu/cover-letter.txt") =~ /no verdict: .* has no timed release/,
   '... in the cover letter too');
ok(slurp("$tmp/cu/compare.json") =~ /"why" *: *"no samples"/, '... and in compare.json');

# a damaged cycle_end format: refused, not every cycle silently untraced
my $plain = "$tmp/plain.dat";
system("trace-cmd convert -i tests/fixtures/debian-6.1-remove/trace.dat -o $plain --file-version 6 >/dev/null 2>&1");
my $dat = slurp($plain);
ok(length($dat) > 10000 && $dat =~ /name: cycle_end/, 'trace-cmd convert writes the fixture uncompressed');
(my $bad = $dat) =~ s/(name: cycle_end\n(?:[^\n]*\n)*?\tfield:u32 )cycle;/${1}cyclx;/;
spit("$tmp/cycx.dat", $bad);
run('import', '-o', "$tmp/i1", "$tmp/cycx.dat");
ok($rc == 1 && $err =~ /iommu_bench:cycle_end has no field 'cycle'/ && !-e "$tmp/i1",
   'import: a cycle_end format without its field is named');
($bad = $dat) =~ s/name: cycle_end/name: cycle_enX/;
spit("$tmp/noend.dat", $bad);
run('import', '-o', "$tmp/i2", "$tmp/noend.dat");
ok($rc == 1 && $err =~ /no event iommu_bench:cycle_end/ && !-e "$tmp/i2",
   'import: a trace without cycle_end is refused');

# compare -o into a used directory
run('compare', '-o', "$tmp/co", $A, $B);
ok($rc == 0 && -s "$tmp/co/cover-letter.txt", 'compare -o writes a cover letter');
run('compare', '-o', "$tmp/co", $A, $B, $A, $B);
ok($rc == 0 && !-e "$tmp/co/cover-letter.txt" && -s "$tmp/co/compare.txt",
   '... a rerun of 4 runs leaves no cover letter of the last (it holds 3)');
make_path("$tmp/mine");
spit("$tmp/mine/notes.txt", "mine\n");
run('compare', '-o', "$tmp/mine", $A, $B);
ok($rc == 2 && $err =~ /holds notes.txt/ && slurp("$tmp/mine/notes.txt") eq "mine\n" &&
   !-e "$tmp/mine/compare.txt", 'a directory with other files is refused, untouched');

run('compare', '-o', "$tmp/co/", $A, $B);
ok($rc == 0 && -s "$tmp/co/cover-letter.txt" && !-e "$tmp/co/.partial" && !-e "$tmp/co.old",
   'compare -o DIR/ (a trailing slash) replaces the set like DIR');
spit("$tmp/co/plot.png", "mine\n");
run('compare', '-o', "$tmp/co", $A, $B);
ok($rc == 2 && $err =~ /holds plot.png/ && slurp("$tmp/co/plot.png") eq "mine\n",
   'a PNG compare did not write is kept: the set is refused, untouched');

# merge of two kernels, or of a run with itself
run('merge', '-o', "$tmp/m2", $A, $B);
ok($rc == 1 && $err =~ /kernel_release/ && !-e "$tmp/m2", 'merge of 6.1 and 6.12 refused');
run('merge', '-o', "$tmp/m3", $A, $A);
ok($rc == 1 && $err =~ /same boot/ && !-e "$tmp/m3", 'merge of a run with itself refused');
run('merge', '-o', "$tmp/m4", $B, 'tests/fixtures/aa-debian-6.12-default');
ok($rc == 0 && scalar(@{$json->decode(slurp("$tmp/m4/meta.json"))->{boots}}) == 21,
   'merge of two merged runs of one kernel: their 5 + 16 boots, flat');

# kallsyms that is none
run('probes', '-k', '/dev/zero');
ok($rc == 1 && $err =~ /not a file \(a device/, 'probes -k /dev/zero: refused, not read forever');
spit("$tmp/empty", '');
run('probes', '-k', "$tmp/empty");
ok($rc == 1 && $err =~ /no text symbol/, 'probes -k of an empty file: no kallsyms');
run('probes', '-k', $tmp);
ok($rc == 1 && $err =~ /a directory/, 'probes -k of a directory');
spit("$tmp/dup", "ffffffff81000000 T iommu_release_device\nffffffff81000100 t iommu_bus_notifier\nffffffff81000200 t iommu_bus_notifier\n");
run('probes', '-k', "$tmp/dup");
ok($rc == 0 && $out =~ /iommu_bus_notifier is 2 functions \(kprobes need a unique name\)/,
   'a symbol named twice is said to be unprobeable, not printed');

# compare of two modes
run('compare', $A, "results/examples/make-run/owned/debian-6.12");
ok($rc == 1 && $err =~ /ran in owned mode, .* in remove mode/, 'compare of remove and owned runs refused');

### Generated: meta.json, every field of every wrong type, and missing

my @fields = qw(status label started system system.kernel_release system.kernel_version
	system.boot_id system.iommu_driver config config.mode config.devices config.cycles
	trace trace.lost_events probe_cost probe_cost.hit_ns release_function core_function boots);
my @values = (1, 'x', [], {}, undef, JSON::PP::true, [1], [{}]);
my ($meta_cases, $meta_bad) = (0, 0);
for my $f (@fields) {
	for my $i (0 .. $#values + 1) {
		$r = copy_run($B, "$tmp/meta");
		$m = $json->decode(slurp("$r/meta.json"));
		jpath_set($m, $f, $values[$i], $i > $#values) or next;
		spit("$r/meta.json", $json->encode($m));
		run('compare', $A, $r);
		$meta_cases++;
		(my $leaf = $f) =~ s/.*\.//;
		# a wrong type is named; a right one (or a missing optional) works
		$meta_bad++ unless survived() && ($rc == 0 || ($rc == 1 && $err =~ /\Q$leaf\E|boots|status|lost events/));
		push @tap, "# meta.json $f = " . ($i > $#values ? '(missing)' : $json->encode([$values[$i]])) .
			": exit $rc $err" unless survived() && ($rc == 0 || ($rc == 1 && $err =~ /\Q$leaf\E|boots|status|lost events/));
	}
}
ok($meta_bad == 0, "meta.json: $meta_cases fields of wrong types or missing, each named or harmless",
   "$meta_bad of $meta_cases crashed or failed unnamed");

### Generated: cycles.csv, every column missing, twice, and with junk

my $csv = slurp("$B/cycles.csv");
my ($hdr, @body) = split /\n/, $csv;
my @cols = split /,/, $hdr;
my ($csv_cases, $csv_bad) = (0, 0);
for my $c (0 .. $#cols) {
	my @variants = (
		['missing', sub { splice(@{$_[0]}, $c, 1) }, qr/no $cols[$c] column/],
		['twice', sub { push @{$_[0]}, $_[0][$c] }, qr/column $cols[$c] appears twice/],
	);
	for my $v (@variants) {
		my @h2 = @cols;
		$v->[1]->(\@h2);
		my @b2 = map { my @f = split /,/; $v->[1]->(\@f); join ',', @f } @body;
		$r = copy_run($B, "$tmp/csv");
		spit("$r/cycles.csv", join("\n", join(',', @h2), @b2) . "\n");
		run('compare', $r);
		$csv_cases++;
		next if $rc == 1 && $err =~ $v->[2] && survived();
		$csv_bad++;
		push @tap, "# cycles.csv $cols[$c] $v->[0]: exit $rc $err";
	}
	for my $junk ('abc', '-1', '99999999999999999999', '', '1e3', "\x01") {
		my @f = split /,/, $body[0], -1;
		$f[$c] = $junk;
		$r = copy_run($B, "$tmp/csv");
		spit("$r/cycles.csv", join("\n", $hdr, join(',', @f), @body[1 .. $#body]) . "\n");
		run('compare', $r);
		$csv_cases++;
		$csv_bad++ unless survived() && ($rc == 0 || $err =~ /cycles\.csv:2:/);
		push @tap, "# cycles.csv $cols[$c] = '$junk': exit $rc $err"
			unless survived() && ($rc == 0 || $err =~ /cycles\.csv:2:/);
	}
}
for my $cut (1, 100, length($csv) / 2, length($csv) - 3) {
	$r = copy_run($B, "$tmp/csv");
	spit("$r/cycles.csv", substr($csv, 0, $cut));
	run('compare', $r);
	$csv_cases++;
	next if $rc == 1 && survived();
	$csv_bad++;
	push @tap, "# cycles.csv cut at $cut: exit $rc $err";
}
ok($csv_bad == 0, "cycles.csv: $csv_cases columns missing, twice, junk or cut, each refused naming line or column",
   "$csv_bad of $csv_cases not so");

### Generated: trace.dat cut short and damaged

my $orig = slurp('tests/fixtures/debian-6.1-remove/trace.dat');
my ($tr_cases, $tr_bad, $lib_faults) = (0, 0, 0);
# IB_HOSTILE_SEED and IB_HOSTILE_TRACES: other and more damage, by hand
srand($ENV{IB_HOSTILE_SEED} // 14);
my $ntraces = $ENV{IB_HOSTILE_TRACES} // 24;
for my $k (1 .. $ntraces) {
	my $d;
	if ($k <= 12 && $k < $ntraces / 2) {
		$d = substr($k % 2 ? $dat : $orig, 0, int(length($k % 2 ? $dat : $orig) * $k / 13));
	} else {
		$d = $k % 2 ? $dat : $orig;
		substr($d, int(rand(length($d) - 1)), 1) = chr(int(rand(256))) for 1 .. 64;
	}
	spit("$tmp/t.dat", $d);
	remove_tree("$tmp/ti");
	run('import', '-o', "$tmp/ti", "$tmp/t.dat");
	$tr_cases++;
	# libtraceevent's own faults on damaged formats, met in the child
	# that opens the headers first: contained, and said as such
	if ($err =~ /libtracecmd (crashed|failed) reading its headers/ && !-e "$tmp/ti" &&
	    $err =~ /^ +#[1-3] .*libtrace(event|cmd)\.so/m) {
		$lib_faults++;
		$err =~ s/^=+\n==\d+==ERROR: AddressSanitizer.*?^==\d+==ABORTING\n//ms;
	}
	unless (survived() && ($rc == 0 || (!-e "$tmp/ti" && !-e "$tmp/ti.partial"))) {
		$tr_bad++;
		push @tap, "# trace.dat case $k: exit $rc $err";
	}
}
for my $f ('/dev/null', $tmp, "$tmp/empty", "$A/meta.json") {
	remove_tree("$tmp/ti");
	run('import', '-o', "$tmp/ti", $f);
	$tr_cases++;
	$tr_bad++ unless $rc >= 1 && $rc <= 2 && survived() && !-e "$tmp/ti";
}
ok($tr_bad == 0, "trace.dat: $tr_cases cut, damaged or no trace.dat: refused with nothing written, or read",
   "$tr_bad of $tr_cases not so");
push @tap, "# $lib_faults of them made libtraceevent fault in the child that opens the headers first";

### Generated: perf.data cut short and damaged (perf_data.c reads it by hand)

my $perf = slurp('tests/fixtures/debian-6.12-perf/perf.data');
my ($pf_cases, $pf_bad, $pf_faults) = (0, 0, 0);
my $ntail = length($perf) - 4096;
for my $k (1 .. 48) {
	my $d = $perf;
	if ($k <= 12) {
		$d = substr($perf, 0, int(length($perf) * $k / 13));
	} else {
		# the header and attrs, the data, the feature index and formats
		my ($from, $span) = $k <= 24 ? (0, 512) : $k <= 36 ? (512, $ntail - 512) :
				    ($ntail, 4096);
		substr($d, $from + int(rand($span)), 1) = chr(int(rand(256))) for 1 .. ($k % 3 ? 4 : 64);
	}
	spit("$tmp/p.data", $d);
	remove_tree("$tmp/pi");
	run('import', '-o', "$tmp/pi", "$tmp/p.data");
	$pf_cases++;
	if ($err =~ /libtraceevent (crashed|failed) reading its headers/ && !-e "$tmp/pi" &&
	    $err =~ /^ +#[1-3] .*libtraceevent\.so/m) {
		$pf_faults++;
		$err =~ s/^=+\n==\d+==ERROR: AddressSanitizer.*?^==\d+==ABORTING\n//ms;
	}
	unless (survived() && ($rc == 0 || (!-e "$tmp/pi" && !-e "$tmp/pi.partial"))) {
		$pf_bad++;
		push @tap, "# perf.data case $k: exit $rc $err";
	}
}
ok($pf_bad == 0, "perf.data: $pf_cases cut or damaged: refused with nothing written, or read",
   "$pf_bad of $pf_cases not so");
push @tap, "# $pf_faults of them made libtraceevent fault in the child that opens the headers first";

### Generated: experiment and kernel-set files, a fault in each key

my %exp_bad = (
	mode => 'sideways', cycles => '0', rounds => '1000', devices => '00:zz.0',
	owner => 'x', batches => 'all magic', probe_effect => 'maybe', chunks => 'many',
	until_ci => '-5', max_cycles => '1e9', kernels => 'configs/kernels/none.conf',
	ab => 'src-6.12 nowhere',
);
my $exp = slurp('configs/experiments/default.conf');
my ($cf_cases, $cf_bad) = (0, 0);
for my $key (sort keys %exp_bad) {
	my $e = $exp;
	$e =~ s/^\Q$key\E *=.*$/$key = $exp_bad{$key}/m or
		$e =~ s/^\[experiment\]\n/[experiment]\n$key = $exp_bad{$key}\n/m;
	spit("$tmp/e.conf", $e);
	run('config', 'check', "$tmp/e.conf");
	my @lines = split /\n/, $e;
	my ($line) = grep { $lines[$_ - 1] =~ /^\Q$key\E = / } 1 .. @lines;
	$cf_cases++;
	unless ($rc == 2 && $err =~ /e\.conf:$line: \[experiment\] $key: / && survived()) {
		$cf_bad++;
		push @tap, "# experiment $key = $exp_bad{$key}: exit $rc $err";
	}
}
# config_fault NAME TEXT WHAT: config check of TEXT as file NAME is
# refused, naming the file and a line
sub config_fault {
	my ($name, $text, $what) = @_;
	spit("$tmp/$name", $text);
	run('config', 'check', "$tmp/$name");
	$cf_cases++;
	unless ($rc == 2 && $err =~ /\Q$name\E:\d+: / && survived()) {
		$cf_bad++;
		push @tap, "# $what $cf_cases: exit $rc $err";
	}
}
for my $e ("$exp\ncylces = 4\n", "$exp\n[extra]\nx = 1\n", "[lab]\niommu = intel-iommu\n",
	   "$exp\n[lab]\n", $exp =~ s/^devices.*$//mr, $exp =~ s/\[lab\]/[lab/r,
	   $exp =~ s/iommu = intel-iommu/iommu = smmu/r, $exp =~ s/endpoints = /endpoints = e1000e /r,
	   $exp =~ s/iommu = intel-iommu/iommu = smmuv3/r) {
	config_fault('e.conf', $e, 'experiment variant');
}
(my $crlf_exp = $exp) =~ s/\n/\r\n/g;
spit("$tmp/e.conf", $crlf_exp);
run('config', 'check', "$tmp/e.conf");
ok($rc == 0, 'a CRLF experiment file is the same file');
my $ks = slurp('configs/kernels/default.conf');
for my $k ($ks =~ s/role = before/role = first/r, $ks =~ s/role = before/role = before\nsource = x/r,
	   $ks =~ s/^release = 6\.1\.0.*$//mr, $ks =~ s/lab\.fragment/none.fragment/r,
	   $ks =~ s/release-domain-review/none-review/r,
	   $ks =~ s/release-domain-review/release-domain-review none-review/r, "$ks\n[x]\nrole = after\nimage = y\nrelease = z\nsrc = q\n",
	   $ks =~ s/role = before/role = before\narch = sparc/r,
	   "$ks\n[x]\nrole = after\narch = arm64\nsource = linux-source-6.12\n") {
	config_fault('k.conf', $k, 'kernel set variant');
}
for my $f (glob('configs/experiments/*.conf configs/kernels/*.conf')) {
	run('config', 'check', $f);
	ok($rc == 0, "config check: $f is good");
}
ok($cf_bad == 0, "experiment and kernel-set files: $cf_cases faults, each named with file and line",
   "$cf_bad of $cf_cases not so");

### Probe packs: a fault in a pack names its file and line

my $pack = slurp('configs/probes/intel.conf');
my ($pk_cases, $pk_bad) = (0, 0);
for my $add ("[x]\nrole = sideways\nsymbols = f\n", "[x]\nrole = hw\nkind = zap\nsymbols = f\n",
	     "[x]\nrole = attach\n", "[x]\nrole = attach\nsymbols = f\nsymbol = g\n",
	     "[x]\nrole = attach\nsymbols = f\nmaxactive = 5\n",
	     "[x]\nrole = release\nsymbols = f\nwhen = nofield=1\n", "[x\n", "x\n",
	     "[attach_paging]\nrole = attach\nsymbols = f\n") {
	make_path("$tmp/pk");
	copy($_, "$tmp/pk/") for glob('configs/probes/*.conf');
	spit("$tmp/pk/intel.conf", "$pack\n$add");
	run('probes', '-p', "$tmp/pk", '-D', 'intel', '-k', "$tmp/dup");
	$pk_cases++;
	unless ($rc == 2 && $err =~ /intel\.conf:\d+: / && survived()) {
		$pk_bad++;
		push @tap, "# probe pack fault $pk_cases: exit $rc $err";
	}
}
ok($pk_bad == 0, "probe packs: $pk_cases faults, each named with file and line", "$pk_bad of $pk_cases not so");

my $total = 0;
$total += $_ for ($meta_cases, $csv_cases, $tr_cases, $cf_cases, $pk_cases);
ok($total + $n >= 200, "$total generated hostile inputs and " . ($n - 1) . " named ones, 200 or more");
print "1..$n\n", map { "$_\n" } @tap;
print "# through $ib\n";
exit($failed ? 1 : 0);
