# {{banner}}
# Vitis HLS project of {{top}} for {{part}} at {{clock_ns}} ns. Run from this directory:
#   vitis_hls -f build_prj.tcl "csim=1 synth=1 cosim=0 export=0"
# Each flag is 0 or 1; the defaults are those shown. cosim and export need synth.
array set opt {csim 1 synth 1 cosim 0 export 0}
foreach token [split [join $argv " "] " "] {
  if {$token eq ""} continue
  if {![regexp {^(csim|synth|cosim|export)=([01])$} $token -> key value]} {
    puts "build_prj.tcl: unknown argument '$token' (expected csim=, synth=, cosim=, export= 0 or 1)"
    exit 1
  }
  set opt($key) $value
}
if {($opt(cosim) || $opt(export)) && !$opt(synth)} {
  puts "build_prj.tcl: cosim and export need synth=1"
  exit 1
}

open_project -reset {{top}}_prj
set_top {{top}}
add_files firmware/{{top}}.cpp -cflags "-std=c++14"
add_files -tb tb/{{top}}_test.cpp -cflags "-std=c++14"
add_files -tb tb/tb_data
open_solution -reset solution1 -flow_target vivado
set_part {{part}}
create_clock -period {{clock_ns}} -name default

if {$opt(csim)} { csim_design }
if {$opt(synth)} { csynth_design }
if {$opt(cosim)} { cosim_design }
if {$opt(export)} { export_design -format ip_catalog }
exit
