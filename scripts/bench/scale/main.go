// scale: opens N connections through a forward proxy on loopback and holds them idle, bounded in
// count (<= 60000) and time (-hold <= 120 s). -mode http: each connection sends one keep-alive
// GET in absolute form and reads the response, then idles. -mode tunnel: each sends CONNECT to
// an origin listener of this program (which accepts and holds), reads the 200, then idles.
// Source addresses cycle over 127.0.0.2..127.0.0.(1+srcs) so no address runs out of ports.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	proxy := flag.String("proxy", "127.0.0.1:18796", "proxy host:port (loopback)")
	n := flag.Int("n", 1000, "connections (max 60000)")
	mode := flag.String("mode", "http", "http or tunnel")
	target := flag.String("url", "http://127.0.0.1:18780/1k", "http mode: URL fetched once per connection")
	srcs := flag.Int("srcs", 4, "source addresses 127.0.0.2.. to spread the ports over")
	hold := flag.Duration("hold", 30*time.Second, "how long to hold them open (max 120s)")
	workers := flag.Int("c", 100, "connections opened at once")
	flag.Parse()
	if *n > 60000 || *hold > 120*time.Second {
		fmt.Fprintln(os.Stderr, "bounds: -n <= 60000, -hold <= 120s")
		os.Exit(2)
	}
	var originAddr string
	if *mode == "tunnel" {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			panic(err)
		}
		originAddr = ln.Addr().String()
		var held sync.Map
		go func() {
			for {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				held.Store(c, true)
			}
		}()
	}
	conns := make([]net.Conn, *n)
	var ok, failed int64
	var next int64 = -1
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < *workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(atomic.AddInt64(&next, 1))
				if i >= *n {
					return
				}
				src := &net.TCPAddr{IP: net.IPv4(127, 0, 0, byte(2+i%*srcs))}
				d := net.Dialer{LocalAddr: src, Timeout: 10 * time.Second}
				c, err := d.Dial("tcp", *proxy)
				if err == nil {
					err = exchange(c, *mode, *target, originAddr)
				}
				if err != nil {
					if atomic.AddInt64(&failed, 1) <= 5 {
						fmt.Fprintln(os.Stderr, "conn", i, err)
					}
					if c != nil {
						c.Close()
					}
					continue
				}
				conns[i] = c
				atomic.AddInt64(&ok, 1)
			}
		}()
	}
	wg.Wait()
	fmt.Printf("OPEN ok=%d failed=%d in %.1fs\n", ok, failed, time.Since(start).Seconds())
	time.Sleep(*hold)
	alive := 0
	for _, c := range conns {
		if c == nil {
			continue
		}
		c.SetReadDeadline(time.Now().Add(time.Millisecond))
		if _, err := c.Read(make([]byte, 1)); err != nil {
			if ne, isNet := err.(net.Error); isNet && ne.Timeout() {
				alive++
			}
		}
		c.Close()
	}
	fmt.Printf("DONE alive_after_hold=%d\n", alive)
}

func exchange(c net.Conn, mode, target, originAddr string) error {
	c.SetDeadline(time.Now().Add(20 * time.Second))
	defer c.SetDeadline(time.Time{})
	r := bufio.NewReader(c)
	if mode == "tunnel" {
		fmt.Fprintf(c, "CONNECT %s HTTP/1.1\r\nHost: %s\r\n\r\n", originAddr, originAddr)
		resp, err := http.ReadResponse(r, &http.Request{Method: "CONNECT"})
		if err != nil {
			return err
		}
		if resp.StatusCode != 200 {
			return fmt.Errorf("CONNECT: %s", resp.Status)
		}
		return nil
	}
	fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", target)
	resp, err := http.ReadResponse(r, nil)
	if err != nil {
		return err
	}
	buf := make([]byte, 4096)
	for {
		if _, err := resp.Body.Read(buf); err != nil {
			break
		}
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		return fmt.Errorf("GET: %s", resp.Status)
	}
	return nil
}
