# Shared by the benchmark scripts (sourced, with $work set to their scratch
# folder).

# free_port: a TCP port on 127.0.0.1 nobody listens on now
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# serve_mirror DIR: serves DIR over HTTP on 127.0.0.1 for at most 4 hours;
# sets $url and $server (its pid, for the caller's EXIT trap)
serve_mirror() {
	local port; port=$(free_port)
	timeout 14400 python3 -m http.server -d "$1" -b 127.0.0.1 "$port" >/dev/null 2>&1 &
	server=$!
	url=http://127.0.0.1:$port
	for _ in $(seq 50); do
		(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
		sleep 0.2
	done
	echo "benchmark: the mirror server did not start" >&2
	return 1
}

# cpu_now: CPU seconds (user + system) of this shell's finished children so
# far, from bash's `times` run in this shell (not a subshell), into $cpu
cpu_now() {
	times > "$work/.times"
	cpu=$(tail -n 1 "$work/.times" | awk '{ split($1, u, /[ms]/); split($2, s, /[ms]/);
		printf "%.3f\n", u[1] * 60 + u[2] + s[1] * 60 + s[2] }')
}
