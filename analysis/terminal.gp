# Shared output set-up: term is 'png' or 'svg', out the file; a script
# may set width and height first.
if (!exists("width")) width = 900
if (!exists("height")) height = 560
if (term eq 'svg') {
    set terminal svg size width,height noenhanced font "sans,11" background "white"
} else {
    set terminal pngcairo size width,height noenhanced font ",11"
}
set output out
