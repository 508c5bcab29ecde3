# Shared output set-up: term is 'png' or 'svg', out the file.
if (term eq 'svg') {
    set terminal svg size 900,560 noenhanced font "sans,11" background "white"
} else {
    set terminal pngcairo size 900,560 noenhanced font ",11"
}
set output out
