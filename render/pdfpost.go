package render

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"regexp"
	"slices"
	"strconv"
)

// compressStreams Flate-compresses every stream of an fpdf document that
// has no filter yet, and rebuilds the cross-reference table.
//
// fpdf compresses each stream with a new zlib writer (about a megabyte of
// tables apiece); for a 20-page policy that was most of the memory and time
// of a render. Here one writer is reset for every stream. The document
// structure is fpdf's: "N 0 obj" objects, a classic xref table, a trailer.
func compressStreams(in []byte) ([]byte, error) {
	xrefAt, err := startXref(in)
	if err != nil {
		return nil, err
	}
	offsets, err := xrefOffsets(in, xrefAt)
	if err != nil {
		return nil, err
	}
	trailerAt := bytes.Index(in[xrefAt:], []byte("trailer"))
	if trailerAt < 0 {
		return nil, fmt.Errorf("pdf: no trailer")
	}
	trailer := in[xrefAt+trailerAt : bytes.LastIndex(in, []byte("startxref"))]

	// Objects in file order, each up to the next one or the xref table.
	order := make([]int, 0, len(offsets))
	for n := 1; n < len(offsets); n++ {
		order = append(order, n)
	}
	slices.SortFunc(order, func(a, b int) int { return offsets[a] - offsets[b] })
	out := bytes.NewBuffer(make([]byte, 0, len(in)/2))
	out.Write(in[:offsets[order[0]]]) // header
	newOffsets := make([]int, len(offsets))
	var zbuf bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&zbuf, zlib.BestSpeed)
	for i, n := range order {
		end := xrefAt
		if i+1 < len(order) {
			end = offsets[order[i+1]]
		}
		obj := in[offsets[n]:end]
		newOffsets[n] = out.Len()
		if err := compressObject(out, obj, zw, &zbuf); err != nil {
			return nil, fmt.Errorf("pdf object %d: %w", n, err)
		}
	}
	xref := out.Len()
	fmt.Fprintf(out, "xref\n0 %d\n0000000000 65535 f \n", len(offsets))
	for n := 1; n < len(offsets); n++ {
		fmt.Fprintf(out, "%010d 00000 n \n", newOffsets[n])
	}
	out.Write(trailer)
	fmt.Fprintf(out, "startxref\n%d\n%%%%EOF\n", xref)
	return out.Bytes(), nil
}

var (
	startxrefRE = regexp.MustCompile(`startxref\n([0-9]+)\n%%EOF\n?$`)
	lengthRE    = regexp.MustCompile(`/Length ([0-9]+)`)
)

func startXref(in []byte) (int, error) {
	m := startxrefRE.FindSubmatch(in)
	if m == nil {
		return 0, fmt.Errorf("pdf: no startxref")
	}
	return strconv.Atoi(string(m[1]))
}

func xrefOffsets(in []byte, at int) ([]int, error) {
	var count int
	rest := in[at:]
	if _, err := fmt.Sscanf(string(rest[:min(len(rest), 40)]), "xref\n0 %d\n", &count); err != nil {
		return nil, fmt.Errorf("pdf: bad xref: %w", err)
	}
	start := bytes.Index(rest, []byte("65535 f \n"))
	if start < 0 {
		return nil, fmt.Errorf("pdf: bad xref")
	}
	entries := rest[start+len("65535 f \n"):]
	offsets := make([]int, count)
	for n := 1; n < count; n++ {
		line := entries[(n-1)*20 : n*20]
		v, err := strconv.Atoi(string(line[:10]))
		if err != nil {
			return nil, fmt.Errorf("pdf: bad xref entry %d", n)
		}
		offsets[n] = v
	}
	return offsets, nil
}

// compressObject copies one object, compressing its stream if unfiltered.
func compressObject(out *bytes.Buffer, obj []byte, zw *zlib.Writer, zbuf *bytes.Buffer) error {
	s := bytes.Index(obj, []byte("\nstream\n"))
	if s < 0 {
		out.Write(obj)
		return nil
	}
	dict := obj[:s]
	if bytes.Contains(dict, []byte("/Filter")) {
		out.Write(obj)
		return nil
	}
	m := lengthRE.FindSubmatchIndex(dict)
	if m == nil {
		return fmt.Errorf("stream without /Length")
	}
	n, _ := strconv.Atoi(string(dict[m[2]:m[3]]))
	dataAt := s + len("\nstream\n")
	if dataAt+n > len(obj) {
		return fmt.Errorf("stream longer than its object")
	}
	zbuf.Reset()
	zw.Reset(zbuf)
	if _, err := zw.Write(obj[dataAt : dataAt+n]); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	out.Write(dict[:m[0]])
	fmt.Fprintf(out, "/Filter /FlateDecode /Length %d", zbuf.Len())
	out.Write(dict[m[1]:])
	out.WriteString("\nstream\n")
	out.Write(zbuf.Bytes())
	out.Write(obj[dataAt+n:]) // "\nendstream\nendobj\n"
	return nil
}
