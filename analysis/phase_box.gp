# Box plot per phase (release, remove, rescan), one box per kernel.
#   variables: term, out, heading, subheading, n, t1..tn (labels),
#   nameA, nameB (the mode's phases), release1..n, phaseA1..n, phaseB1..n
#   (data files, one value per line)
load gpdir . "/terminal.gp"
set multiplot layout 1,3 title heading . "\n" . subheading
set style boxplot outliers pointtype 7
set style data boxplot
set boxwidth 0.5
set xrange [0.3:n + 0.7]
set xtics () nomirror rotate by -20
do for [i=1:n] { set xtics add (value(sprintf("t%d", i)) i) }
set grid ytics
unset key
# hatches that keep the median line visible in black and white
pats = "1 4 5 6 7 2 1 4"
phases = "release phaseA phaseB"
units = "us ms ms"
do for [p=1:3] {
    ph = word(phases, p)
    name = p == 1 ? "release" : (p == 2 ? nameA : nameB)
    set ylabel sprintf("%s (%s)", name, word(units, p))
    set logscale y
    plot for [i=1:n] value(sprintf("%s%d", ph, i)) using (i):1 \
         linecolor rgb "black" fillstyle pattern word(pats, i) + 0
}
unset multiplot
