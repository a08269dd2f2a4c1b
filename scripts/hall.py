"""A lecture hall on one machine, one command: Redis, N Streamlit replicas behind nginx, M training workers.

  python scripts/hall.py --replicas 4 --workers 2 --port 8080      # then the class opens http://<server>:8080
  python scripts/hall.py --redis redis://db:6379/0 --workers 0     # replicas only: the workers run elsewhere
  python -m engine.worker --redis redis://db:6379/0                # a worker on another machine (GPU or not)

Needs redis-server and nginx on the PATH (Debian/Ubuntu: `apt-get install redis-server nginx`); neither is
installed as a system service by it. Replicas listen on loopback only, so students reach them through nginx. A
process that dies is started again; Ctrl-C stops everything this command started.

Streamlit settings that matter behind the proxy, and why:
  server.address 127.0.0.1   the replicas are reached through nginx only
  server.cookieSecret        the same for every replica: a student moved to another replica keeps a valid
                             upload (XSRF) cookie
  server.headless true       no browser is opened on the server
"""
from __future__ import annotations

import argparse
import contextlib
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "deploy" / "nginx" / "convlab.conf.template"
MAIN_CONFIG = """worker_processes auto;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    log_format convlab '$time_iso8601 $status $request_method $uri up=$upstream_addr replica=$convlab_replica '
                       'took=$request_time';
    access_log {access_log};
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {prefix}/convlab.conf;
}}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def nginx_binary() -> str:
    for candidate in ("nginx", "/usr/sbin/nginx"):
        if Path(candidate).exists() or any((Path(p) / candidate).exists() for p in os.environ["PATH"].split(":")):
            return candidate
    raise SystemExit("nginx is not installed (Debian/Ubuntu: apt-get install nginx).")


def render_template(text: str, values: dict[str, str]) -> str:
    """${CONVLAB_...} filled in, every other $ left to nginx (as the nginx image's envsubst does with a filter).

    >>> render_template("listen ${CONVLAB_LISTEN}; $host", {"CONVLAB_LISTEN": "80"})
    'listen 80; $host'
    """
    return re.sub(r"\$\{(CONVLAB_[A-Z_]+)\}", lambda m: values[m.group(1)], text)


def write_nginx_config(prefix: Path, listen: str, replica_ports: list[int], log_requests: bool = False) -> Path:
    servers = "\n    ".join(f"server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in replica_ports)
    (prefix / "convlab.conf").write_text(render_template(TEMPLATE.read_text(), {"CONVLAB_UPSTREAMS": servers,
                                                                             "CONVLAB_LISTEN": listen}))
    access_log = f"{prefix}/access.log convlab" if log_requests else "off"
    (prefix / "nginx.conf").write_text(MAIN_CONFIG.format(prefix=prefix, access_log=access_log))
    return prefix / "nginx.conf"


def healthy(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status == 200
    except OSError:
        return False


class Stack:
    """The processes of one machine's hall; `start()`, `stop()`, and `supervise()` to keep them running."""

    def __init__(self, replicas: int = 2, workers: int = 1, port: int = 8080, redis_url: str | None = None,
                 listen_address: str = "0.0.0.0", env: dict | None = None, quiet: bool = True):
        self.replica_ports = [free_port() for _ in range(max(1, replicas))]
        self.workers, self.port, self.listen_address = max(0, workers), port, listen_address
        self.redis_port = None if redis_url else free_port()
        self.redis_url = redis_url or f"redis://127.0.0.1:{self.redis_port}/0"
        self.prefix = Path(tempfile.mkdtemp(prefix="convlab-hall-"))
        # CONVLAB_OWNER_COOKIE: nginx's sticky cookie is 128 random bits a browser keeps, so it may name a run's owner
        self.env = {**os.environ, "CONVLAB_REDIS_URL": self.redis_url, "STREAMLIT_SERVER_COOKIE_SECRET":
                    secrets.token_urlsafe(32), "CONVLAB_OWNER_COOKIE": "convlab_replica", "TF_CPP_MIN_LOG_LEVEL": "3",
                    "PYTHONPATH": str(ROOT), **(env or {})}
        self.quiet = quiet  # quiet: each process writes to <prefix>/<name>.log instead of this terminal
        self.processes: dict[str, subprocess.Popen] = {}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def replica_url(self, i: int) -> str:
        return f"http://127.0.0.1:{self.replica_ports[i]}"

    # -- the processes ---------------------------------------------------------------------------------------
    def _spawn(self, name: str, command: list[str]) -> subprocess.Popen:
        with open(self.prefix / f"{name}.log", "ab") if self.quiet else contextlib.nullcontext() as output:
            process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=output, stderr=output,
                                       start_new_session=True)
        self.processes[name] = process
        return process

    def start_redis(self) -> None:
        self._spawn("redis", ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "",
                              "--appendonly", "no"])

    def start_replica(self, i: int) -> None:
        self._spawn(f"replica-{i}", [sys.executable, "-m", "streamlit", "run", str(ROOT / "streamlit_app.py"),
                                     "--server.port", str(self.replica_ports[i]), "--server.address", "127.0.0.1",
                                     "--server.headless", "true", "--browser.gatherUsageStats", "false"])

    def start_worker(self, i: int) -> None:
        self._spawn(f"worker-{i}", [sys.executable, "-m", "engine.worker", "--redis", self.redis_url,
                                    "--id", f"{socket.gethostname()}-w{i}"])

    def start_nginx(self) -> None:
        config = write_nginx_config(self.prefix, f"{self.listen_address}:{self.port}", self.replica_ports,
                                    log_requests=self.quiet)  # a quiet stack (tests) keeps nginx's access log
        self._spawn("nginx", [nginx_binary(), "-p", str(self.prefix), "-c", str(config), "-g", "daemon off;"])

    def start(self, timeout: float = 90.0) -> Stack:
        try:
            return self._start(timeout)
        except BaseException:
            self.stop()  # nothing half-started stays behind
            raise

    def _start(self, timeout: float) -> Stack:
        if self.redis_port:
            self.start_redis()
        for i in range(len(self.replica_ports)):
            self.start_replica(i)
        for i in range(self.workers):
            self.start_worker(i)
        self.start_nginx()
        deadline = time.monotonic() + timeout
        for i in range(len(self.replica_ports)):
            while not healthy(f"{self.replica_url(i)}/_stcore/health"):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"replica {i} did not start within {timeout:g} s")
                time.sleep(0.3)
        while not healthy(f"{self.url}/_stcore/health"):
            if time.monotonic() > deadline:
                raise RuntimeError("nginx did not start")
            time.sleep(0.2)
        return self

    def log_tail(self, name: str, lines: int = 40) -> str:
        """The last lines a quiet stack's process `name` wrote (every start of it, one after the other)."""
        path = self.prefix / f"{name}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        process = self.processes.get(name)
        if process is not None and process.poll() is None:
            os.killpg(process.pid, sig)
            process.wait(15)

    def restart(self, name: str) -> None:
        kind, _, index = name.partition("-")
        {"redis": lambda: self.start_redis(), "nginx": lambda: self.start_nginx(),
         "replica": lambda: self.start_replica(int(index)), "worker": lambda: self.start_worker(int(index))}[kind]()

    def supervise(self) -> None:
        """Start again whatever died, until interrupted."""
        while True:
            time.sleep(2.0)
            for name, process in list(self.processes.items()):
                if process.poll() is not None:
                    print(f"{name} ended (exit code {process.returncode}); starting it again", flush=True)
                    self.restart(name)

    def stop(self) -> None:
        for name in sorted(self.processes, key=lambda n: ("nginx", "replica", "worker", "redis").index(
                n.partition("-")[0])):
            process = self.processes[name]
            for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
                try:
                    os.killpg(process.pid, sig)
                    process.wait(wait)
                    break
                except ProcessLookupError:
                    break
                except subprocess.TimeoutExpired:
                    continue
        self.processes.clear()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--replicas", type=int, default=max(1, (os.cpu_count() or 2) // 2),
                        help="Streamlit processes (default: one per two cores)")
    parser.add_argument("--workers", type=int, default=1, help="training workers on this machine (default 1)")
    parser.add_argument("--port", type=int, default=8080, help="the port the class opens (default 8080)")
    parser.add_argument("--listen", default="0.0.0.0", help="nginx's address (default: every interface)")
    parser.add_argument("--redis", default=None, help="an existing Redis (default: start one on loopback)")
    args = parser.parse_args(argv)
    stack = Stack(args.replicas, args.workers, args.port, args.redis, args.listen, quiet=False)
    signal.signal(signal.SIGTERM, lambda *_: (stack.stop(), sys.exit(0)))
    try:
        stack.start()
        print(f"ConvLab for a class: http://{socket.gethostname()}:{args.port}  ({len(stack.replica_ports)} "
              f"replicas, {stack.workers} workers, Redis {stack.redis_url})", flush=True)
        stack.supervise()
    except KeyboardInterrupt:
        pass
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
