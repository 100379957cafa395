namespace Lab07.H264Bitstream;

/// <summary>
/// The analyser: NAL units → parameter sets, SEI and slice headers → pictures (access units) with
/// their picture order count → display order and GOPs. A bad NAL unit is reported in
/// <see cref="StreamReport.Errors"/> and the analysis goes on with the next one.
/// </summary>
public static class StreamAnalyzer
{
    /// <summary>Analyses an Annex B byte stream.</summary>
    public static StreamReport Analyze(ReadOnlyMemory<byte> stream)
    {
        var report = new StreamReport();
        List<AnnexBNalUnit> units;
        try
        {
            units = AnnexB.Split(stream);
        }
        catch (H264FormatException e)
        {
            report.Errors.Add(e);
            return report;
        }

        #region lab M5: for each NAL: parse what it is (SPS, PPS, SEI, slice) and catch H264FormatException into report.Errors (WithNalIndex) and go on; start a new access unit at an AUD/SPS/PPS/SEI after a slice or at the first slice of a new picture (§7.4.1.2.3–4); build each PictureInfo (type, IDR, key frame = IDR or I + recovery point, POC by §8.2.1, size = bytes from the AU's first start code to the next AU's); then display order (POC within each IDR period) and GOPs (a GOP starts at each key frame) — README §Access units, §POC, §GOP
        int auStart = 0; // index of the first NAL unit of the current access unit
        bool auHasVcl = false, recoveryPointInAu = false;
        SliceHeader? previous = null;
        var pending = new List<(SliceHeader Header, int Index, SequenceParameterSet Sps, PictureParameterSet Pps)>();
        var poc = new PocCounter();

        void FlushPicture(int endNal)
        {
            if (pending.Count == 0)
            {
                return;
            }

            int size = 0;
            for (int n = auStart; n < endNal; n++)
            {
                size += units[n].StartCodeLength + units[n].Bytes.Length;
            }

            var (first, _, sps, pps) = pending[0];
            char type = pending.Any(s => s.Header.SliceType == SliceType.B) ? 'B' : pending.Any(s => s.Header.SliceType is SliceType.P or SliceType.SP) ? 'P' : 'I';
            int refIdc = pending.Max(s => s.Header.NalHeader.NalRefIdc);
            var (order, period) = poc.Next(first, sps, refIdc);
            report.Pictures.Add(new PictureInfo
            {
                DecodeIndex = report.Pictures.Count, Type = type, IsIdr = first.IsIdr, IsKeyFrame = first.IsIdr || (type == 'I' && recoveryPointInAu),
                NalRefIdc = refIdc, FrameNum = first.FrameNum, PicOrderCnt = order, PocPeriod = period, Slices = pending.Count, Size = size,
                Qp = first.SliceQp(pps),
            });
            pending.Clear();
            auStart = endNal;
            auHasVcl = false;
            recoveryPointInAu = false;
        }

        for (int i = 0; i < units.Count; i++)
        {
            var nal = units[i].Bytes.Span;
            try
            {
                if (nal.IsEmpty)
                {
                    throw new H264FormatException("An empty NAL unit: a start code followed at once by another", i, units[i].Offset * 8);
                }

                var header = NalUnitHeader.Parse(nal[0]);
                report.Nals.Add((i, header.Type, header.NalRefIdc, nal.Length));
                bool startsAu = header.Type is NalUnitType.AccessUnitDelimiter or NalUnitType.Sps or NalUnitType.Pps or NalUnitType.Sei
                    or (>= NalUnitType.PrefixNal and <= (NalUnitType)18);
                if (startsAu && auHasVcl)
                {
                    FlushPicture(i); // §7.4.1.2.3: these come before the first VCL NAL unit of an access unit
                }

                switch (header.Type)
                {
                    case NalUnitType.Sps:
                        var sps = SequenceParameterSet.Parse(nal, i);
                        report.SequenceParameterSets[sps.SeqParameterSetId] = sps;
                        break;
                    case NalUnitType.Pps:
                        var pps = PictureParameterSet.Parse(nal, report.SequenceParameterSets, i);
                        report.PictureParameterSets[pps.PicParameterSetId] = pps;
                        break;
                    case NalUnitType.Sei:
                        foreach (var message in SeiMessage.ParseAll(nal, i))
                        {
                            report.SeiMessages.Add((i, message));
                            recoveryPointInAu |= message.PayloadType == SeiMessage.RecoveryPointType;
                        }

                        break;
                    case NalUnitType.Slice or NalUnitType.IdrSlice:
                        var slice = SliceHeader.Parse(nal, report.SequenceParameterSets, report.PictureParameterSets, i);
                        var slicePps = report.PictureParameterSets[slice.PicParameterSetId];
                        var sliceSps = report.SequenceParameterSets[slicePps.SeqParameterSetId];
                        if (previous is not null && auHasVcl && IsFirstSliceOfNewPicture(previous, slice, sliceSps))
                        {
                            FlushPicture(i);
                        }

                        pending.Add((slice, i, sliceSps, slicePps));
                        previous = slice;
                        auHasVcl = true;
                        break;
                }
            }
            catch (H264FormatException e)
            {
                report.Errors.Add(e.WithNalIndex(i));
            }
        }

        FlushPicture(units.Count);

        // Display order: by POC within each IDR period, periods in decode order (§8.2.1).
        int display = 0;
        foreach (var picture in report.Pictures.OrderBy(p => p.PocPeriod).ThenBy(p => p.PicOrderCnt).ThenBy(p => p.DecodeIndex))
        {
            picture.DisplayIndex = display++;
        }

        // GOPs: from each key frame to the next, in decode order.
        var keys = report.Pictures.Where(p => p.IsKeyFrame).Select(p => p.DecodeIndex).ToList();
        for (int k = 0; k < keys.Count; k++)
        {
            int start = keys[k], end = k + 1 < keys.Count ? keys[k + 1] : report.Pictures.Count;
            var key = report.Pictures[start];
            bool leading = report.Pictures.Skip(start + 1).Take(end - start - 1).Any(p => p.PocPeriod == key.PocPeriod && p.PicOrderCnt < key.PicOrderCnt);
            report.Gops.Add(new GopInfo(start, end - start, key.IsIdr, key.IsIdr || !leading));
        }

        return report;
        #endregion
    }

    #region lab-remove
    /// <summary>§7.4.1.2.4: does this slice start a new primary picture?</summary>
    private static bool IsFirstSliceOfNewPicture(SliceHeader a, SliceHeader b, SequenceParameterSet sps)
    {
        return a.FrameNum != b.FrameNum
            || a.PicParameterSetId != b.PicParameterSetId
            || a.FieldPic != b.FieldPic
            || (a.FieldPic && a.BottomField != b.BottomField)
            || (a.NalHeader.NalRefIdc != b.NalHeader.NalRefIdc && (a.NalHeader.NalRefIdc == 0 || b.NalHeader.NalRefIdc == 0))
            || (sps.PicOrderCntType == 0 && (a.PicOrderCntLsb != b.PicOrderCntLsb || a.DeltaPicOrderCntBottom != b.DeltaPicOrderCntBottom))
            || (sps.PicOrderCntType == 1 && (a.DeltaPicOrderCnt0 != b.DeltaPicOrderCnt0 || a.DeltaPicOrderCnt1 != b.DeltaPicOrderCnt1))
            || a.IsIdr != b.IsIdr
            || (a.IsIdr && b.IsIdr && a.IdrPicId != b.IdrPicId);
    }

    /// <summary>Picture order count for frames (§8.2.1.1–8.2.1.3).</summary>
    private sealed class PocCounter
    {
        private int _prevPocMsb, _prevPocLsb, _prevFrameNumOffset, _prevFrameNum, _period = -1;

        public (int Poc, int Period) Next(SliceHeader slice, SequenceParameterSet sps, int nalRefIdc)
        {
            if (slice.IsIdr || _period < 0)
            {
                _period++;
                _prevPocMsb = _prevPocLsb = _prevFrameNumOffset = 0;
                _prevFrameNum = 0;
            }

            int poc;
            bool mmco5 = slice.MemoryManagementControlOperations.Contains(5);
            switch (sps.PicOrderCntType)
            {
                case 0:
                {
                    int max = sps.MaxPicOrderCntLsb, lsb = slice.PicOrderCntLsb, msb;
                    if (lsb < _prevPocLsb && _prevPocLsb - lsb >= max / 2)
                    {
                        msb = _prevPocMsb + max;       // Eq. 8-3: the LSBs wrapped forwards
                    }
                    else if (lsb > _prevPocLsb && lsb - _prevPocLsb > max / 2)
                    {
                        msb = _prevPocMsb - max;       // wrapped backwards
                    }
                    else
                    {
                        msb = _prevPocMsb;
                    }

                    int top = msb + lsb;
                    poc = Math.Min(top, top + slice.DeltaPicOrderCntBottom);
                    if (nalRefIdc != 0)
                    {
                        (_prevPocMsb, _prevPocLsb) = (msb, lsb);
                    }

                    break;
                }

                default:
                {
                    int offset = slice.IsIdr ? 0 : _prevFrameNum > slice.FrameNum ? _prevFrameNumOffset + sps.MaxFrameNum : _prevFrameNumOffset; // Eq. 8-6 / 8-11
                    if (sps.PicOrderCntType == 2)
                    {
                        poc = slice.IsIdr ? 0 : nalRefIdc == 0 ? 2 * (offset + slice.FrameNum) - 1 : 2 * (offset + slice.FrameNum); // Eq. 8-12
                    }
                    else
                    {
                        poc = PocType1(slice, sps, nalRefIdc, offset);
                    }

                    _prevFrameNumOffset = offset;
                    _prevFrameNum = slice.FrameNum;
                    break;
                }
            }

            if (mmco5)
            {
                _period++; // POCs restart after MMCO 5 (§8.2.1): keep display order within periods
                _prevPocMsb = 0;
                _prevPocLsb = 0;
                _prevFrameNumOffset = 0;
                _prevFrameNum = 0;
                return (poc, _period - 1);
            }

            return (poc, _period);
        }

        private static int PocType1(SliceHeader slice, SequenceParameterSet sps, int nalRefIdc, int offset)
        {
            int cycleLength = sps.OffsetForRefFrame.Count;
            int absFrameNum = cycleLength != 0 ? offset + slice.FrameNum : 0; // Eq. 8-7
            if (nalRefIdc == 0 && absFrameNum > 0)
            {
                absFrameNum--;
            }

            int expected = 0;
            if (absFrameNum > 0)
            {
                int expectedDelta = sps.OffsetForRefFrame.Sum();
                int cycleCount = (absFrameNum - 1) / cycleLength, inCycle = (absFrameNum - 1) % cycleLength;
                expected = cycleCount * expectedDelta;
                for (int i = 0; i <= inCycle; i++)
                {
                    expected += sps.OffsetForRefFrame[i];
                }
            }

            if (nalRefIdc == 0)
            {
                expected += sps.OffsetForNonRefPic;
            }

            int top = expected + slice.DeltaPicOrderCnt0;
            int bottom = top + sps.OffsetForTopToBottomField + slice.DeltaPicOrderCnt1;
            return Math.Min(top, bottom);
        }
    }
    #endregion
}
