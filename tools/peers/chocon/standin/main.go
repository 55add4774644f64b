// A stand-in for chocon 0.12.6, the keep-alive proxy on the chocon hosts, for the estate test.
//
// It takes chocon's command line (the flags, names and defaults of 0.12.6) and behaves as chocon
// does on the paths the estate uses: a request whose Host carries a `ccnproxy` label is sent to
// the name before that label (`ccnproxy` over http; `ccnproxy-https`, `ccnproxy-secure` and
// `ccnproxy-ssl` over https), on a pooled upstream connection that is kept alive (the pool holds
// --keepalive-conns idle connections per upstream, for 30 s); a Host without such a label is a 400,
// a request that already went through a chocon (X-Chocon-Ver) a 508, an upstream that does not
// answer in time a 504 and any other upstream failure a 502. /.api/stats answers the health check.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

var version = "dev"

const (
	versionHeader = "X-Chocon-Ver"
	idHeader      = "X-Chocon-Id"
)

// Request headers that belong to one connection and are not passed upstream.
var hopHeaders = []string{
	"Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization",
	"Te", "Trailers", "Transfer-Encoding", "Upgrade",
}

type options struct {
	listen, port, accessLogDir, pidFile, upstream string
	keepaliveConns, maxConnsPerHost               int
	readTimeout, writeTimeout, proxyReadTimeout   int
	shutdownTimeout                               time.Duration
	showVersion                                   bool
}

func parse(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("chocon", flag.ContinueOnError)
	fs.StringVar(&o.listen, "listen", "0.0.0.0", "address to bind")
	fs.StringVar(&o.listen, "l", "0.0.0.0", "address to bind")
	fs.StringVar(&o.port, "port", "3000", "port number to bind")
	fs.StringVar(&o.port, "p", "3000", "port number to bind")
	fs.StringVar(&o.accessLogDir, "access-log-dir", "", "stdout, none, or a directory (not kept here)")
	fs.Int64("access-log-rotate", 30, "accepted; logs are not rotated here")
	fs.Int64("access-log-rotate-time", 1440, "accepted; logs are not rotated here")
	fs.BoolVar(&o.showVersion, "version", false, "show version")
	fs.BoolVar(&o.showVersion, "v", false, "show version")
	fs.StringVar(&o.pidFile, "pid-file", "", "file to store the pid")
	fs.IntVar(&o.keepaliveConns, "keepalive-conns", 2, "idle keep-alive connections per upstream")
	fs.IntVar(&o.keepaliveConns, "c", 2, "idle keep-alive connections per upstream")
	fs.IntVar(&o.maxConnsPerHost, "max-conns-per-host", 0, "connections per upstream (0: no limit)")
	fs.IntVar(&o.readTimeout, "read-timeout", 30, "seconds to read a request")
	fs.IntVar(&o.writeTimeout, "write-timeout", 90, "seconds to write a response")
	fs.IntVar(&o.proxyReadTimeout, "proxy-read-timeout", 60, "seconds to wait for the upstream's response")
	fs.DurationVar(&o.shutdownTimeout, "shutdown-timeout", time.Hour, "wait for connections on SIGTERM")
	fs.StringVar(&o.upstream, "upstream", "", "not supported by this stand-in")
	fs.Int("stsize", 1000, "accepted")
	fs.Int("spfactor", 3, "accepted")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	if o.upstream != "" {
		return o, errors.New("--upstream is not supported by this stand-in")
	}
	return o, nil
}

type proxy struct {
	transport *http.Transport
	served    atomic.Int64
	access    *log.Logger
}

// target maps a Host such as `api.example.com.ccnproxy-https:8443` to the upstream URL's scheme
// and host (`https`, `api.example.com:8443`); ok is false without a ccnproxy label.
func target(host string) (scheme, upstream string, ok bool) {
	name, port := host, ""
	if i := strings.IndexByte(host, ':'); i >= 0 {
		name, port = host[:i], host[i:]
	}
	labels := strings.Split(name, ".")
	last := 0
	for i, label := range labels {
		switch label {
		case "ccnproxy", "ccnproxy-https", "ccnproxy-secure", "ccnproxy-ssl":
			last = i
		}
	}
	if last == 0 {
		return "", "", false
	}
	scheme = "http"
	if labels[last] != "ccnproxy" {
		scheme = "https"
	}
	return scheme, strings.Join(labels[:last], ".") + port, true
}

func (p *proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/.api/stats") {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"go_version": runtime.Version(), "goroutine_num": runtime.NumGoroutine(),
			"served": p.served.Load(),
		})
		return
	}
	id := r.Header.Get(idHeader)
	if id == "" {
		id = strconv.FormatInt(time.Now().UnixNano(), 36)
	}
	w.Header().Set(idHeader, id)
	if r.Header.Get(versionHeader) != "" {
		w.WriteHeader(http.StatusLoopDetected)
		return
	}
	scheme, host, ok := target(r.Host)
	if !ok {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	out := r.Clone(r.Context())
	out.RequestURI = ""
	out.URL.Scheme, out.URL.Host, out.Host = scheme, host, host
	out.Proto, out.ProtoMajor, out.ProtoMinor, out.Close = "HTTP/1.1", 1, 1, false
	for _, name := range hopHeaders {
		out.Header.Del(name)
	}
	out.Header.Set(idHeader, id)
	started := time.Now()
	response, err := p.transport.RoundTrip(out)
	status := 0
	if err != nil {
		var netErr net.Error
		switch {
		case errors.As(err, &netErr) && netErr.Timeout():
			status = http.StatusGatewayTimeout
		case errors.Is(err, context.Canceled) || errors.Is(err, io.ErrUnexpectedEOF):
			status = 499
		default:
			status = http.StatusBadGateway
		}
		log.Printf("upstream %s://%s: %v", scheme, host, err)
		w.WriteHeader(status)
	} else {
		defer response.Body.Close()
		for name, values := range response.Header {
			if name != idHeader {
				w.Header()[name] = values
			}
		}
		status = response.StatusCode
		w.WriteHeader(status)
		_, _ = io.Copy(w, response.Body)
	}
	p.served.Add(1)
	if p.access != nil {
		p.access.Printf(`{"host":%q,"path":%q,"upstream":"%s://%s","status":%d,"seconds":%.3f}`,
			r.Host, r.URL.Path, scheme, host, status, time.Since(started).Seconds())
	}
}

func main() {
	o, err := parse(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "chocon:", err)
		os.Exit(1)
	}
	if o.showVersion {
		fmt.Printf("chocon %s\nCompiler: %s %s\n", version, runtime.Compiler, runtime.Version())
		return
	}
	if o.pidFile != "" {
		if err := os.WriteFile(o.pidFile, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
			log.Fatal(err)
		}
	}
	p := &proxy{transport: &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		IdleConnTimeout:       30 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
		MaxIdleConnsPerHost:   o.keepaliveConns,
		MaxConnsPerHost:       o.maxConnsPerHost,
		ResponseHeaderTimeout: time.Duration(o.proxyReadTimeout) * time.Second,
	}}
	switch o.accessLogDir {
	case "stdout":
		p.access = log.New(os.Stdout, "", 0)
	case "", "none":
		if o.accessLogDir == "" {
			p.access = log.New(os.Stderr, "", 0)
		}
	default:
		fmt.Fprintln(os.Stderr, "chocon: this stand-in logs to stdout, stderr or none, not to", o.accessLogDir)
		os.Exit(1)
	}
	server := &http.Server{
		Addr:         net.JoinHostPort(o.listen, o.port),
		Handler:      p,
		ReadTimeout:  time.Duration(o.readTimeout) * time.Second,
		WriteTimeout: time.Duration(o.writeTimeout) * time.Second,
	}
	done := make(chan struct{})
	go func() {
		signals := make(chan os.Signal, 1)
		signal.Notify(signals, syscall.SIGTERM)
		<-signals
		ctx, cancel := context.WithTimeout(context.Background(), o.shutdownTimeout)
		defer cancel()
		_ = server.Shutdown(ctx)
		close(done)
	}()
	if err := server.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
	<-done
}
