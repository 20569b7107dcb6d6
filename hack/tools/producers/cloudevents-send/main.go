// Command cloudevents-send sends one CloudEvent with the CloudEvents reference SDK for Go, in
// the content mode and over the transport a real producer built on that SDK would use, so the
// integration tests can check that kube-soar understands the SDK's own bytes.
//
//	cloudevents-send -mode http-binary -target http://127.0.0.1:8080/cloudevents -token T \
//	  -id e1 -type com.example.t -source //example -ce-subject s -ext groupkey=g -data event.json
//
// Modes: http-binary, http-structured (HTTP POST to -target, bearer -token), nats (core NATS
// publish on -subject; the SDK's NATS binding is structured only), jetstream-binary and
// jetstream-structured (JetStream publish on -subject into the existing -stream). It exits 0
// only when the transport acknowledged the event.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	cenats "github.com/cloudevents/sdk-go/protocol/nats/v2"
	cejetstream "github.com/cloudevents/sdk-go/protocol/nats_jetstream/v2"
	"github.com/cloudevents/sdk-go/v2/binding"
	"github.com/cloudevents/sdk-go/v2/client"
	"github.com/cloudevents/sdk-go/v2/event"
	"github.com/cloudevents/sdk-go/v2/protocol"
	cehttp "github.com/cloudevents/sdk-go/v2/protocol/http"
	"github.com/nats-io/nats.go"
)

// extensions collects repeated -ext name=value flags.
type extensions map[string]string

func (e extensions) String() string { return fmt.Sprint(map[string]string(e)) }

func (e extensions) Set(value string) error {
	name, text, ok := strings.Cut(value, "=")
	if !ok || name == "" {
		return fmt.Errorf("want name=value, got %q", value)
	}
	e[name] = text
	return nil
}

func main() {
	ext := extensions{}
	mode := flag.String("mode", "http-binary", "http-binary | http-structured | nats | jetstream-binary | jetstream-structured")
	target := flag.String("target", "", "receiver URL (http modes) or NATS server URL")
	token := flag.String("token", "", "bearer token (http modes) or NATS token")
	subject := flag.String("subject", "", "NATS subject (nats and jetstream modes)")
	stream := flag.String("stream", "", "JetStream stream that captures -subject (jetstream modes)")
	id := flag.String("id", "", "event id")
	eventType := flag.String("type", "", "event type")
	source := flag.String("source", "", "event source")
	eventSubject := flag.String("ce-subject", "", "event subject (optional)")
	eventTime := flag.String("time", "", "event time, RFC 3339 (optional)")
	dataFile := flag.String("data", "", "file with the event data (optional)")
	dataContentType := flag.String("datacontenttype", event.ApplicationJSON, "media type of the data")
	flag.Var(ext, "ext", "extension attribute name=value (repeatable)")
	flag.Parse()

	e, err := buildEvent(*id, *eventType, *source, *eventSubject, *eventTime, *dataFile, *dataContentType, ext)
	if err == nil {
		err = run(*mode, *target, *token, *subject, *stream, e)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "cloudevents-send:", err)
		os.Exit(1)
	}
}

func buildEvent(id, eventType, source, subject, eventTime, dataFile, dataContentType string, ext extensions) (event.Event, error) {
	e := event.New()
	e.SetID(id)
	e.SetType(eventType)
	e.SetSource(source)
	if subject != "" {
		e.SetSubject(subject)
	}
	if eventTime != "" {
		parsed, err := time.Parse(time.RFC3339Nano, eventTime)
		if err != nil {
			return e, err
		}
		e.SetTime(parsed)
	}
	for name, value := range ext {
		e.SetExtension(name, value)
	}
	if dataFile != "" {
		data, err := os.ReadFile(dataFile)
		if err != nil {
			return e, err
		}
		if err := e.SetData(dataContentType, data); err != nil {
			return e, err
		}
	}
	return e, e.Validate()
}

func run(mode, target, token, subject, stream string, e event.Event) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	var natsOptions []nats.Option
	if token != "" {
		natsOptions = append(natsOptions, nats.Token(token))
	}
	var sender interface {
		protocol.Sender
		protocol.Closer
	}
	var err error
	switch mode {
	case "http-binary", "http-structured":
		options := []cehttp.Option{cehttp.WithTarget(target)}
		if token != "" {
			options = append(options, cehttp.WithHeader("Authorization", "Bearer "+token))
		}
		httpProtocol, err := cehttp.New(options...)
		if err != nil {
			return err
		}
		return send(contentMode(ctx, mode), httpProtocol, e)
	case "nats":
		sender, err = cenats.NewSender(target, subject, natsOptions)
	case "jetstream-binary", "jetstream-structured":
		sender, err = cejetstream.NewSender(target, stream, subject, natsOptions, nil)
	default:
		return fmt.Errorf("unknown mode %q", mode)
	}
	if err != nil {
		return err
	}
	defer func() { _ = sender.Close(ctx) }()
	return send(contentMode(ctx, mode), sender, e)
}

// contentMode forces the mode's content mode; core NATS is structured whatever is asked.
func contentMode(ctx context.Context, mode string) context.Context {
	if strings.HasSuffix(mode, "-structured") {
		return binding.WithForceStructured(ctx)
	}
	return binding.WithForceBinary(ctx)
}

func send(ctx context.Context, sender protocol.Sender, e event.Event) error {
	c, err := client.New(sender)
	if err != nil {
		return err
	}
	if result := c.Send(ctx, e); !protocol.IsACK(result) {
		return fmt.Errorf("not acknowledged: %w", result)
	}
	return nil
}
